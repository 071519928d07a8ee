// Dead letters (their data layout, read back, the options a replay keeps), the cancel channel's
// messages and the Redis Cluster rule for dead-letter queues.
#include "queue/CancelListener.h"
#include "queue/DeadLetter.h"
#include "queue/Keys.h"

#include <gtest/gtest.h>

using namespace warren::queue;

namespace {

JobRecord failedJob() {
  JobRecord job;
  job.id = "42";
  job.name = "content:publish";
  job.data = R"({"post":"hello","id":1796686582967123456})";
  job.optsJson = R"({"attempts":3,"backoff":{"type":"fixed","delay":1000},"de":{"id":"x"}})";
  job.timestamp = 1796686582967;
  job.attemptsMade = 2;  // as fetched: this failure is the third attempt
  job.attemptsStarted = 3;
  return job;
}

FinalFailure failure() {
  return {"post-publish", "the platform said \"no\"", R"(["Error: one","Error: two"])",
          1796686590000, "node-1"};
}

}  // namespace

TEST(DeadLetter, DataCarriesTheJobAndWhyItFailedWithTheDataAsItWas) {
  EXPECT_EQ(deadLetterData(failedJob(), failure()),
            R"({"queue":"post-publish","jobId":"42","name":"content:publish",)"
            R"("data":{"post":"hello","id":1796686582967123456},)"
            R"("opts":{"attempts":3,"backoff":{"type":"fixed","delay":1000},"de":{"id":"x"}},)"
            R"("failedReason":"the platform said \"no\"","stacktrace":["Error: one","Error: two"],)"
            R"("attemptsMade":3,"attemptsStarted":3,"timestamp":1796686582967,)"
            R"("failedOn":1796686590000,"processedBy":"node-1"})");
}

TEST(DeadLetter, DataThatIsNotJsonIsKeptAsText) {
  JobRecord job = failedJob();
  job.data = "{\"not\": json";
  job.optsJson = "[1]";
  FinalFailure anonymous = failure();
  anonymous.processedBy.clear();
  const std::string data = deadLetterData(job, anonymous);
  EXPECT_NE(data.find(R"("dataText":"{\"not\": json")"), std::string::npos) << data;
  EXPECT_NE(data.find(R"("optsText":"[1]")"), std::string::npos) << data;
  EXPECT_EQ(data.find("processedBy"), std::string::npos) << data;
  const auto letter = readDeadLetter(data);
  ASSERT_TRUE(letter);
  EXPECT_TRUE(letter->dataIsText);
  EXPECT_EQ(letter->data, "{\"not\": json");
  EXPECT_EQ(letter->opts, "{}");
}

TEST(DeadLetter, ReadsBackWhatItWrote) {
  const auto letter = readDeadLetter(deadLetterData(failedJob(), failure()));
  ASSERT_TRUE(letter);
  EXPECT_EQ(letter->queue, "post-publish");
  EXPECT_EQ(letter->jobId, "42");
  EXPECT_EQ(letter->name, "content:publish");
  EXPECT_EQ(letter->data, R"({"post":"hello","id":1796686582967123456})") << "exact text";
  EXPECT_FALSE(letter->dataIsText);
  EXPECT_EQ(letter->failedReason, "the platform said \"no\"");
  EXPECT_EQ(letter->stacktrace, R"(["Error: one","Error: two"])");
  EXPECT_EQ(letter->attemptsMade, 3);
  EXPECT_EQ(letter->attemptsStarted, 3);
  EXPECT_EQ(letter->timestamp, 1796686582967);
  EXPECT_EQ(letter->failedOnMs, 1796686590000);
  EXPECT_EQ(letter->processedBy, "node-1");
}

TEST(DeadLetter, OtherJobsAreNoDeadLetters) {
  EXPECT_FALSE(readDeadLetter(R"({"queue":"q","jobId":"1"})"));           // no name, no data
  EXPECT_FALSE(readDeadLetter(R"({"queue":1,"jobId":"1","name":"n","data":{}})"));
  EXPECT_FALSE(readDeadLetter(R"({"hello":"world"})"));
  EXPECT_FALSE(readDeadLetter("not json"));
  EXPECT_FALSE(readDeadLetter(R"([1,2])"));
  EXPECT_TRUE(readDeadLetter(R"({"queue":"q","jobId":"1","name":"n","data":null})"));
}

TEST(DeadLetter, AReplayKeepsTheOptionsOfHowToRunNotThoseOfTheFirstRun) {
  EXPECT_EQ(replayOptions(R"({"attempts":3,"backoff":{"type":"fixed","delay":1000},"delay":5000,)"
                          R"("priority":2,"lifo":true,"timestamp":1,"jobId":"order-7",)"
                          R"("de":{"id":"x"},"parent":{"id":"p","queue":"bull:q"},"fpof":true,)"
                          R"("removeOnComplete":true,"removeOnFail":{"count":5},"kl":10,)"
                          R"("stackTraceLimit":3,"sizeLimit":100,"repeatJobKey":"r","tm":"t"})"),
            R"({"attempts":3,"backoff":{"type":"fixed","delay":1000},"priority":2,"lifo":true,)"
            R"("jobId":"order-7","removeOnComplete":true,"removeOnFail":{"count":5},"kl":10,)"
            R"("stackTraceLimit":3,"sizeLimit":100})");
  EXPECT_EQ(replayOptions("{}"), "{}");
  EXPECT_EQ(replayOptions("not json"), "{}");
}

TEST(DeadLetter, OnAClusterBothQueuesShareTheirSlot) {
  EXPECT_NO_THROW(requireDeadLetterSlot(Keys("{bull}", "orders"), Keys("{bull}", "dead")));
  EXPECT_NO_THROW(requireDeadLetterSlot(Keys("bull", "{orders}"), Keys("bull", "{orders}-dead")));
  try {
    requireDeadLetterSlot(Keys("bull", "{orders}"), Keys("bull", "orders-dead"));
    FAIL() << "queues in two slots passed";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "queue '{orders}' cannot keep its dead letters in 'orders-dead' on a Redis "
                 "Cluster: the two queues' keys are in different slots ({orders} and no hash "
                 "tag), and a job's move to failed writes its dead letter in the same script. "
                 "Give both queues one hash tag: a tagged prefix such as {bull}, or queue names "
                 "such as {orders} and {orders}-dead");
  }
}

TEST(CancelChannel, MessagesAreJobIdAndReasonOnTheQueuesChannel) {
  std::string queue, id, reason;
  ASSERT_TRUE(CancelListener::parse("bull", "bull:emails:cancel",
                                    R"({"jobId":"42","reason":"withdrawn"})", queue, id, reason));
  EXPECT_EQ(queue, "emails");
  EXPECT_EQ(id, "42");
  EXPECT_EQ(reason, "withdrawn");
  ASSERT_TRUE(CancelListener::parse("{bull}", "{bull}:q:cancel", R"({"jobId":"7"})", queue, id,
                                    reason));
  EXPECT_EQ(queue, "q");
  EXPECT_EQ(reason, "");
  EXPECT_FALSE(CancelListener::parse("bull", "other:emails:cancel", R"({"jobId":"1"})", queue, id,
                                     reason));
  EXPECT_FALSE(CancelListener::parse("bull", "bull:emails:cancel", R"({"id":"1"})", queue, id,
                                     reason));
  EXPECT_FALSE(CancelListener::parse("bull", "bull:emails:cancel", "not json", queue, id, reason));
  EXPECT_FALSE(CancelListener::parse("bull", "bull:emails:cancel", R"({"jobId":""})", queue, id,
                                     reason));
}
