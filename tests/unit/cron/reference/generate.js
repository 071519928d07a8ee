#!/usr/bin/env node
// Prints expected.inc: what cron-parser (pinned in package.json to the version BullMQ 6.2.0 uses)
// computes for the cases below, as C++ initialisers for CronTest.cpp.
//
//   cd tests/unit/cron/reference && npm ci && node generate.js > expected.inc
//
// Each "next" case is chained the way a BullMQ worker does it (job-scheduler.ts,
// defaultRepeatStrategy): a fresh CronExpressionParser.parse(pattern, {currentDate, tz,
// endDate}) per occurrence, currentDate = the previous occurrence, and .next(). An exception
// (no occurrence before endDate, loop limit) ends the sequence.
'use strict';

process.env.TZ = 'UTC';  // an empty tz means UTC on the C++ side; make Node agree
const { CronExpressionParser } = require('cron-parser');
const cronParserVersion = require('cron-parser/package.json').version;
const luxonVersion = require('luxon/package.json').version;
const { DateTime } = require('luxon');

const ms = (iso) => Date.parse(iso);

// [pattern, tz, start (ISO), count, {end (ISO), seed}]
const nextCases = [
  // Syntax, UTC.
  ['* * * * *', 'UTC', '2025-01-01T00:00:00Z', 5],
  ['*/2 * * * * *', 'UTC', '2025-03-01T10:00:00.500Z', 6],
  ['*/2 * * * * *', '', '2025-03-01T10:00:59Z', 4],
  ['0 15 3 * * *', 'UTC', '2025-01-01T03:15:00Z', 5],
  ['15,45 */3 * * *', 'UTC', '2025-06-30T22:50:00Z', 6],
  ['0 8-18/4 * * *', 'UTC', '2025-05-05T07:59:59.999Z', 6],
  ['5/15 * * * *', 'UTC', '2025-05-05T10:00:00Z', 6],
  ['10-20/5,40 * * * * *', 'UTC', '2025-05-05T10:00:00Z', 6],
  ['0 0 1,15 * *', 'UTC', '2025-01-15T00:00:00Z', 5],
  ['0 0 31 * *', 'UTC', '2025-01-31T12:00:00Z', 5],
  ['59 23 31 12 *', 'UTC', '2024-06-01T00:00:00Z', 3],
  ['0 0 29 2 *', 'UTC', '2025-01-01T00:00:00Z', 3],
  ['0 0 1 JAN-MAR,oct *', 'UTC', '2025-01-01T00:00:00Z', 6],
  ['0 0 * * sun-Tue', 'UTC', '2025-01-01T00:00:00Z', 6],
  ['0 0 * JAN mon', 'UTC', '2025-01-01T00:00:00Z', 6],
  ['0 0 * * 7', 'UTC', '2025-01-01T00:00:00Z', 3],
  ['0 0 * * 0,7', 'UTC', '2025-01-01T00:00:00Z', 3],
  ['0 0 * * 0-7', 'UTC', '2025-01-01T00:00:00Z', 4],
  ['0 0 0 * * 1-7/2', 'UTC', '2025-01-01T00:00:00Z', 5],
  ['0 0 ? * ?', 'UTC', '2025-01-01T00:00:00Z', 3],
  ['0 12 ? * MON-FRI', 'UTC', '2025-01-03T13:00:00Z', 5],
  ['0 0 15 * 1', 'UTC', '2025-01-01T00:00:00Z', 6],
  ['0 0 29 2 1', 'UTC', '2025-01-20T00:00:00Z', 6],
  ['0 0 L * *', 'UTC', '2024-01-01T00:00:00Z', 5],
  ['0 0 L 2 *', 'UTC', '2025-01-01T00:00:00Z', 4],
  ['0 0 15L * *', 'UTC', '2025-01-01T00:00:00Z', 3],
  ['0 0 1,L * *', 'UTC', '2025-01-01T00:00:00Z', 5],
  ['0 12 * * 5L', 'Europe/Berlin', '2025-01-01T00:00:00Z', 5],
  ['0 0 * * 1,5L', 'UTC', '2025-01-20T00:00:00Z', 6],
  ['0 10 * * 1#2', 'America/New_York', '2025-01-01T00:00:00Z', 5],
  ['0 10 * * MON#1', 'UTC', '2025-01-01T00:00:00Z', 3],
  ['0 0 * * 5#5', 'UTC', '2025-01-01T00:00:00Z', 4],
  ['0 0 * * 1#5', 'UTC', '2025-01-01T00:00:00Z', 4],
  ['0 0 * 2 5#5', 'UTC', '2025-01-01T00:00:00Z', 3],  // 2036-02-29, then the loop limit
  ['0 0 * 2 *', 'UTC', '2025-02-28T00:00:00Z', 3],
  ['@yearly', 'UTC', '2025-06-01T00:00:00Z', 3],
  ['@annually', 'Europe/Berlin', '2025-06-01T00:00:00Z', 2],
  ['@monthly', 'UTC', '2025-01-31T00:00:00Z', 3],
  ['@weekly', 'America/New_York', '2025-01-01T00:00:00Z', 3],
  ['@daily', 'Asia/Kolkata', '2025-01-01T00:00:00Z', 3],
  ['@hourly', 'UTC', '2025-01-01T00:00:00Z', 3],
  ['@minutely', 'UTC', '2025-01-01T00:00:30Z', 3],
  ['@secondly', 'UTC', '2025-01-01T00:00:00.250Z', 3],
  ['@weekdays', 'UTC', '2025-01-03T00:00:00Z', 3],
  ['@weekends', 'UTC', '2025-01-03T00:00:00Z', 3],
  ['', 'UTC', '2025-01-01T00:00:10Z', 2],
  // cron-parser leniencies.
  ['5', 'UTC', '2025-01-01T00:00:00Z', 3],  // 1 field = day of week
  ['0 12 * *', 'UTC', '2025-01-01T00:00:00Z', 3],  // 4 fields = hour dom month dow
  ['* * * * jan', 'UTC', '2025-01-01T00:00:00Z', 2],  // month name in day-of-week = 1
  ['*-*/5 * * * *', 'UTC', '2025-01-01T00:00:00Z', 3],
  ['0,0 * * * *', 'UTC', '2025-01-01T00:00:00Z', 3],
  ['0 0 * * 5#+2', 'UTC', '2025-01-01T00:00:00Z', 2],
  ['0 0 1-10/3L * *', 'UTC', '2025-01-01T00:00:00Z', 5],
  ['0 0 * * JUL', 'UTC', '2025-01-01T00:00:00Z', 3],  // JUL = 7 = Sunday
  ['0 0\t1  *   *', 'UTC', '2025-01-01T00:00:00Z', 2],
  ['  0 0 1 * *  ', 'UTC', '2025-01-01T00:00:00Z', 2],
  ['0 0,0-23 * * *', 'Europe/Berlin', '2025-03-30T00:00:00Z', 4],  // 25 hour values
  // Hashed values (hashSeed makes them deterministic; BullMQ passes no seed).
  ['H * * * *', 'UTC', '2025-01-01T00:00:00Z', 3, { seed: 'job-1' }],
  ['H H * * *', 'UTC', '2025-01-01T00:00:00Z', 3, { seed: 'nightly' }],
  ['H(0-29)/10 H(9-17) * * *', 'UTC', '2025-01-01T00:00:00Z', 5, { seed: 'abc' }],
  ['H/20 * * * * *', 'UTC', '2025-01-01T00:00:00Z', 4, { seed: 'x' }],
  ['0 0 H(1-28) H * ', 'UTC', '2025-01-01T00:00:00Z', 3, { seed: 'Grüße 🎉' }],
  ['0 0 * * H', 'UTC', '2025-01-01T00:00:00Z', 3, { seed: 'weekday' }],
  ['H(50-70) * * * *', 'UTC', '2025-01-01T00:00:00Z', 3, { seed: 'clamp' }],
  ['H(0-5)/10 * * * *', 'UTC', '2025-01-01T00:00:00Z', 3, { seed: 'wide' }],
  // endDate (inclusive).
  ['0 0 * * *', 'UTC', '2025-01-01T00:00:00Z', 5, { end: '2025-01-03T00:00:00Z' }],
  ['0 0 * * *', 'UTC', '2025-01-01T00:00:00Z', 5, { end: '2025-01-03T23:59:59Z' }],
  ['0 0 * * *', 'UTC', '2025-02-01T00:00:00Z', 2, { end: '2025-01-03T00:00:00Z' }],
  ['0 30 9 * * 1-5', 'Europe/Berlin', '2025-03-27T00:00:00Z', 5, { end: '2025-04-01T07:30:00Z' }],
  // Time zones.
  ['0 9 * * 1-5', 'America/New_York', '2025-01-01T00:00:00Z', 5],
  ['30 8 * * MON,WED,FRI', 'Europe/London', '2025-03-28T00:00:00Z', 5],
  ['0 0 1 * *', 'Asia/Kolkata', '2025-01-01T00:00:00Z', 3],
  ['0 */2 * * *', 'Asia/Kolkata', '2025-01-01T00:00:00Z', 3],
  ['0 0 1 1 *', 'Australia/Sydney', '2025-01-01T00:00:00Z', 2],
  ['0 0 12 * * *', 'Pacific/Chatham', '2025-04-05T00:00:00Z', 4],
  ['0 0 * * *', 'UTC+3', '2025-01-01T00:00:00Z', 2],
  ['0 0 * * *', 'utc-03:30', '2025-01-01T00:00:00Z', 2],
  ['0 0 * * *', 'Etc/GMT+5', '2025-01-01T00:00:00Z', 2],
  ['0 0 * * *', 'europe/berlin', '2025-01-01T00:00:00Z', 2],
  ['0 0 * * *', 'US/Eastern', '2025-01-01T00:00:00Z', 2],
  // DST, Europe/Berlin (2025-03-30 02:00 -> 03:00; 2025-10-26 03:00 -> 02:00).
  ['30 2 * * *', 'Europe/Berlin', '2025-03-28T00:00:00Z', 5],
  ['0 2 * * *', 'Europe/Berlin', '2025-03-28T00:00:00Z', 5],
  ['0 0 2,3 * * *', 'Europe/Berlin', '2025-03-29T00:00:00Z', 5],
  ['*/15 2 * * *', 'Europe/Berlin', '2025-03-29T01:00:00Z', 8],
  ['0 30 1-3 * * *', 'Europe/Berlin', '2025-03-29T00:00:00Z', 8],
  ['0 * * * *', 'Europe/Berlin', '2025-03-29T23:30:00Z', 5],
  ['0 */30 * * * *', 'Europe/Berlin', '2025-10-25T23:00:00Z', 8],
  ['30 2 * * *', 'Europe/Berlin', '2025-10-24T00:00:00Z', 5],
  ['0 30 1-3 * * *', 'Europe/Berlin', '2025-10-25T00:00:00Z', 10],
  ['0 2 * * *', 'Europe/Berlin', '2025-10-25T00:00:00Z', 4],
  ['*/20 2 * * *', 'Europe/Berlin', '2025-10-25T23:00:00Z', 8],
  ['0 0 * * * *', 'Europe/Berlin', '2025-10-25T22:30:00Z', 6],
  ['0 1-4 * * *', 'Europe/Berlin', '2025-10-25T22:30:00Z', 6],
  // DST, America/New_York (2025-03-09 02:00 -> 03:00; 2025-11-02 02:00 -> 01:00).
  ['30 2 * * *', 'America/New_York', '2025-03-07T00:00:00Z', 5],
  ['0 0 2 * * *', 'America/New_York', '2025-03-08T00:00:00Z', 4],
  ['0 */30 * * * *', 'America/New_York', '2025-11-02T04:00:00Z', 8],
  ['30 1 * * *', 'America/New_York', '2025-10-31T00:00:00Z', 5],
  ['0 1,2 * * *', 'America/New_York', '2025-11-01T00:00:00Z', 6],
  ['0 9 * * *', 'America/New_York', '2025-03-07T00:00:00Z', 4],
  // DST, southern hemisphere and odd zones.
  ['30 2 * * *', 'Australia/Sydney', '2025-10-03T00:00:00Z', 5],  // 10-05 02:00 -> 03:00
  ['30 2 * * *', 'Australia/Sydney', '2025-04-04T00:00:00Z', 5],  // 04-06 03:00 -> 02:00
  ['0 */30 * * * *', 'Australia/Sydney', '2025-04-05T14:30:00Z', 6],
  ['0 2 * * *', 'Australia/Lord_Howe', '2025-10-04T00:00:00Z', 4],  // 30-minute DST
  ['*/30 1,2 * * *', 'Australia/Lord_Howe', '2025-04-05T12:00:00Z', 8],
  ['0 0 * * *', 'America/Santiago', '2025-09-05T00:00:00Z', 5],  // midnight is skipped 09-07
  ['0 0 * * *', 'America/Santiago', '2025-04-04T00:00:00Z', 5],  // midnight repeated 04-06
  ['30 0 * * *', 'America/Havana', '2025-03-08T00:00:00Z', 4],
  ['0 0 * * *', 'America/Sao_Paulo', '2018-11-02T00:00:00Z', 4],  // historical midnight DST
  ['0 0 0 * * *', 'Pacific/Apia', '2011-12-28T00:00:00Z', 4],  // 2011-12-30 does not exist
  ['30 1 * * *', 'Europe/Dublin', '2025-10-25T00:00:00Z', 4],  // negative DST in tzdata
  ['0 3 * * *', 'America/Nuuk', '2025-03-28T00:00:00Z', 4],
  ['0 0 * * 0', 'Asia/Tehran', '2021-03-19T00:00:00Z', 3],
  // Far future (past the TZif transitions: POSIX footer rule).
  ['30 2 * * *', 'Europe/Berlin', '2045-03-24T00:00:00Z', 5],
  ['0 */30 * * * *', 'America/New_York', '2045-11-05T04:00:00Z', 8],
  ['30 2 * * *', 'Australia/Sydney', '2045-09-29T00:00:00Z', 5],
  ['0 0 12 * * *', 'Asia/Kolkata', '2045-06-01T00:00:00Z', 2],
];

// Patterns whose acceptance (not message) must match cron-parser.
const parseCases = [
  '0 0 15W * *', '0 0 LW * *', '0 0 0 0 0 0 0', '60 * * * *', '* 24 * * *', '* * 0 * *',
  '* * 32 * *', '* * * 13 *', '* * * 0 *', '* * * * 8', '1,1 * * * *', '1-5,3 * * * *',
  '0,0 * * * *', '* * * * 0,7', '* * * * 1,0-7', '* * * * 7,0-7', '5-1 * * * *', '*/0 * * * *',
  '1/2/3 * * * *', '1,,2 * * * *', ',1 * * * *', '-1 * * * *', '1- * * * *', '/5 * * * *',
  '5/ * * * *', 'a * * * *', '* * * foo *', '* * * * MONDAY', '* * * * thu', '* * * JANUARY *',
  '* * * * L', '* * * * 5L', '* * * * L5', '* * L * *', '* * 5L * *', '* * 123L * *',
  '* * * * 1#6', '* * * * 1#0', '* * * * 1#2#3', '* * * * 1-5#2', '* * * * 1,5#2',
  '* * * * 5#abc', '* * * * #2', '* * * * *#2', '0 0 30 2 *', '0 0 31 4 *', '0 0 30,31 2 *',
  '0 0 30 2 1', '0 0 L 2 *', '0 0 29 2 *', '@YEARLY', ' @yearly', '@every_minute', '@reboot',
  'H * * * *', 'H(5-1) * * * *', 'H(70-80) * * * *', 'H/0 * * * *', 'H(1-2)x * * * *',
  '0-59-5 * * * *', '*-* * * * *', '? ? ? ? ? ?', '* * * * * ?', '', '   ', 'constructor',
  '__proto__', '0 0 * * sun,sun', '0 0 * * 5L,5L', '0 0 1-31/40 * *', '0 0 0-7 * *',
  '0 0 * * 1-7/2', '1.5 * * * *', '+1 * * * *', '0x1 * * * *', '0 0 * * 2#1.0',
];

// Zone offsets (luxon's, i.e. ICU's) around every transition of these years, plus two samples a
// year: checks TimeZone (TZif data, POSIX footer past 2037) on its own.
const offsetZones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata',
  'Australia/Lord_Howe', 'America/Santiago', 'Europe/Dublin', 'America/Nuuk', 'Pacific/Chatham',
  'Asia/Tehran', 'Africa/Casablanca', 'America/Sao_Paulo', 'Pacific/Apia', 'Asia/Kathmandu'];
const offsetYears = [1975, 1996, 2011, 2018, 2025, 2037, 2038, 2045, 2100];

const cstr = (s) => JSON.stringify(s);  // ASCII escapes are valid C++; UTF-8 passes through
const iso = (t) => new Date(t).toISOString();

const lines = [];
lines.push(`// Generated by tests/unit/cron/reference/generate.js with cron-parser ${cronParserVersion}`);
lines.push(`// (luxon ${luxonVersion}, Node ${process.version}, ICU tz ${process.versions.tz}). Do not edit.`);
lines.push('// clang-format off');
lines.push('const std::vector<ReferenceCase> kReferenceCases = {');
for (const [pattern, tz, startIso, count, extra = {}] of nextCases) {
  const start = ms(startIso);
  const end = extra.end ? ms(extra.end) : 0;
  const seed = extra.seed || '';
  const got = [];
  let cur = start;
  let stop = 'count reached';
  for (let i = 0; i < count; i++) {
    try {
      const options = { currentDate: new Date(cur), tz: tz || 'UTC' };
      if (end) options.endDate = end;
      if (seed) options.hashSeed = seed;
      cur = CronExpressionParser.parse(pattern, options).next().getTime();
      got.push(cur);
    } catch (e) {
      stop = e.message;
      break;
    }
  }
  lines.push(`  // ${cstr(pattern)} ${tz || '(UTC)'} after ${iso(start)}${end ? ` until ${iso(end)}` : ''}` +
             `${seed ? ` seed ${cstr(seed)}` : ''}: ${got.map(iso).join(' ') || '-'}` +
             `${got.length < count ? ` [${stop}]` : ''}`);
  lines.push(`  {${cstr(pattern)}, ${cstr(tz)}, ${start}LL, ${end}LL, ${cstr(seed)}, ${count}, ` +
             `{${got.map((t) => `${t}LL`).join(', ')}}},`);
}
lines.push('};');
lines.push('const std::vector<ParseCase> kParseCases = {');
for (const pattern of parseCases) {
  let accepted = true;
  let message = '';
  try {
    CronExpressionParser.parse(pattern, { hashSeed: 'seed' });
  } catch (e) {
    accepted = false;
    message = e.message;
  }
  lines.push(`  {${cstr(pattern)}, ${accepted}},${accepted ? '' : `  // ${message}`}`);
}
lines.push('};');
lines.push('const std::vector<OffsetCase> kOffsetCases = {');
for (const zone of offsetZones) {
  const offset = (t) => DateTime.fromMillis(t, { zone }).offset * 60;
  const samples = [];
  for (const year of offsetYears) {
    samples.push(Date.UTC(year, 0, 1), Date.UTC(year, 6, 1));
    const hour = 3600 * 1000;
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += hour) {
      if (offset(t) === offset(t + hour)) continue;
      let lo = t;
      let hi = t + hour;  // offset(lo) != offset(hi): find the first second with the new offset
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offset(mid) === offset(lo)) lo = mid; else hi = mid;
      }
      samples.push(hi - 1000, hi);
    }
  }
  const entries = samples.map((t) => `{${t / 1000}LL, ${offset(t)}}`);
  lines.push(`  {${cstr(zone)}, {${entries.join(', ')}}},`);
}
lines.push('};');
lines.push('// clang-format on');
console.log(lines.join('\n'));
