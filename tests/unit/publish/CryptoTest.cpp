// Tokens sealed with AES-256-GCM (plugins/common/crypto): what an operator and the web app rely
// on — a value opens only with its key, its account and its column, rotation keeps old values
// readable, and no error ever shows a key.
#include "crypto/Digest.h"
#include "crypto/Envelope.h"
#include "crypto/Key.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using common::crypto::DecryptError;
using common::crypto::Key;
using common::crypto::KeyError;
using common::crypto::Keyring;

const std::string kHexA = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const std::string kHexB = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
const std::string kAad = "platform_accounts/acc_1/access_token";

Keyring ring(const std::string& current, const std::string& previous = {}) {
  return common::crypto::keyringFromHex(current, previous, "ENCRYPTION_KEY",
                                        "ENCRYPTION_KEY_PREVIOUS");
}

DecryptError::Reason failure(const Keyring& keys, const std::string& sealed, const std::string& aad,
                             std::string* message = nullptr) {
  try {
    common::crypto::open(keys, sealed, aad);
  } catch (const DecryptError& e) {
    if (message != nullptr) *message = e.what();
    return e.reason();
  }
  ADD_FAILURE() << "the value decrypted";
  return DecryptError::Reason::malformed;
}

TEST(Crypto, RoundTripUnderTheCurrentKey) {
  const Keyring keys = ring(kHexA);
  const std::string sealed = common::crypto::seal(keys.current, "token-1234", kAad);
  EXPECT_EQ(common::crypto::open(keys, sealed, kAad), "token-1234");
  EXPECT_EQ(sealed.rfind("v1:" + keys.current.id() + ":", 0), 0u) << sealed;
  EXPECT_EQ(sealed.find("token-1234"), std::string::npos);
}

TEST(Crypto, EverySealHasItsOwnNonce) {
  const Keyring keys = ring(kHexA);
  EXPECT_NE(common::crypto::seal(keys.current, "same", kAad),
            common::crypto::seal(keys.current, "same", kAad));
}

TEST(Crypto, WrongKeyIsRefusedNamingBothKeyIds) {
  const std::string sealed = common::crypto::seal(ring(kHexA).current, "token", kAad);
  const Keyring other = ring(kHexB);
  std::string message;
  EXPECT_EQ(failure(other, sealed, kAad, &message), DecryptError::Reason::unknownKey);
  EXPECT_NE(message.find(ring(kHexA).current.id()), std::string::npos) << message;
  EXPECT_NE(message.find(other.current.id()), std::string::npos) << message;
  EXPECT_EQ(message.find(kHexA), std::string::npos);
  EXPECT_EQ(message.find(kHexB), std::string::npos);
}

TEST(Crypto, TamperedCiphertextDoesNotDecrypt) {
  const Keyring keys = ring(kHexA);
  std::string sealed = common::crypto::seal(keys.current, "token-abcdef", kAad);
  // Flip one base64 character of the payload (not the padding).
  const std::size_t at = sealed.size() - 6;
  sealed[at] = sealed[at] == 'A' ? 'B' : 'A';
  EXPECT_EQ(failure(keys, sealed, kAad), DecryptError::Reason::authentication);
}

TEST(Crypto, ValueCopiedToAnotherAccountDoesNotDecrypt) {
  const Keyring keys = ring(kHexA);
  const std::string sealed = common::crypto::seal(keys.current, "token", kAad);
  std::string message;
  EXPECT_EQ(failure(keys, sealed, "platform_accounts/acc_2/access_token", &message),
            DecryptError::Reason::authentication);
  EXPECT_NE(message.find("another account"), std::string::npos) << message;
  EXPECT_EQ(failure(keys, sealed, "platform_accounts/acc_1/refresh_token"),
            DecryptError::Reason::authentication);
}

TEST(Crypto, RotationKeepsOldValuesReadable) {
  const std::string old = common::crypto::seal(ring(kHexA).current, "old-token", kAad);
  const Keyring rotated = ring(kHexB, kHexA);
  EXPECT_EQ(common::crypto::open(rotated, old, kAad), "old-token");
  EXPECT_EQ(common::crypto::keyIdOf(old), rotated.previous->id());
  const std::string fresh = common::crypto::seal(rotated.current, "new-token", kAad);
  EXPECT_EQ(common::crypto::keyIdOf(fresh), rotated.current.id());
  // Once the previous key is gone, only values under the current key open.
  EXPECT_EQ(failure(ring(kHexB), old, kAad), DecryptError::Reason::unknownKey);
  EXPECT_EQ(common::crypto::open(ring(kHexB), fresh, kAad), "new-token");
}

TEST(Crypto, MalformedValuesAreNamedAsSuch) {
  const Keyring keys = ring(kHexA);
  for (const std::string& bad :
       std::vector<std::string>{"plaintext-token", "v1:abc", "v1:" + keys.current.id() + ":***",
                                "v2:" + keys.current.id() + ":AAAA"}) {
    EXPECT_EQ(failure(keys, bad, kAad), DecryptError::Reason::malformed) << bad;
  }
}

// The envelope is standard AES-256-GCM: NIST's GCM test case 16 (also what Node's
// createCipheriv('aes-256-gcm') produces) opens once put in the v1 form.
TEST(Crypto, OpensTheNistGcmVector) {
  const std::string keyHex = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
  const Keyring keys = ring(keyHex);
  EXPECT_EQ(keys.current.id(), "58776e7f0c20254f");  // sha256("warren/key-id/v1" || key)[0:8]
  const auto bytes = [](const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
      out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    }
    return out;
  };
  const std::string iv = bytes("cafebabefacedbaddecaf888");
  const std::string cipher = bytes(
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056"
      "828838c5f61e6393ba7a0abcc9f662");
  const std::string tag = bytes("76fc6ece0f4e1768cddf8853bb2d551b");
  const std::string aad = bytes("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const std::string sealed =
      "v1:" + keys.current.id() + ":" + common::crypto::base64Encode(iv + cipher + tag);
  EXPECT_EQ(common::crypto::open(keys, sealed, aad),
            bytes("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c959568095"
                  "32fcf0e2449a6b525b16aedf5aa0de657ba637b39"));
}

TEST(Key, RefusesAnythingButSixtyFourHexDigitsWithoutShowingIt) {
  const auto message = [](const std::string& text) {
    try {
      Key::fromHex(text, "ENCRYPTION_KEY");
    } catch (const KeyError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message(""), "ENCRYPTION_KEY is not set");
  EXPECT_EQ(message(kHexA.substr(1)),
            "ENCRYPTION_KEY must be 64 hexadecimal characters (32 bytes); it has 63 characters");
  std::string bad = kHexA;
  bad[10] = 'g';
  EXPECT_EQ(message(bad),
            "ENCRYPTION_KEY must be 64 hexadecimal characters (32 bytes); character 11 is not a "
            "hexadecimal digit");
  EXPECT_EQ(message(kHexA), "accepted");
  EXPECT_EQ(Key::fromHex(kHexA, "k").id(),
            Key::fromHex("00112233445566778899AABBCCDDEEFF00112233445566778899"
                         "AABBCCDDEEFF",
                         "k")
                .id());
}

TEST(Key, APreviousKeyEqualToTheCurrentIsIgnored) {
  EXPECT_FALSE(ring(kHexA, kHexA).previous.has_value());
  EXPECT_TRUE(ring(kHexA, kHexB).previous.has_value());
}

TEST(Digest, HmacAndBase64MatchKnownValues) {
  // RFC 4231 test case 2.
  EXPECT_EQ(common::crypto::hmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(common::crypto::base64Encode("hello!?"), "aGVsbG8hPw==");
  std::string decoded;
  ASSERT_TRUE(common::crypto::base64Decode("aGVsbG8hPw==", decoded));
  EXPECT_EQ(decoded, "hello!?");
  EXPECT_FALSE(common::crypto::base64Decode("not base64!", decoded));
}

}  // namespace
