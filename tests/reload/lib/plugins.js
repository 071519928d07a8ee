'use strict';
// Putting plugin files into a watched plugin directory the way a deployment would (write a
// temp file, then rename it over the old name), and the ways a deployment can get it wrong.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { fixture } = require('./env');

let seq = 0;

// A temp name in the same directory that no plugin lookup matches (it does not end in .so).
function tempName(dir, name) {
  seq += 1;
  return path.join(dir, `.${name}.so.incoming-${process.pid}-${seq}`);
}

/** Installs a fixture (e.g. 'swap_v2') as DIR/NAME.so by write-to-temp + rename. */
function install(dir, fixtureName, name = 'swap') {
  return installBytes(dir, fs.readFileSync(fixture(fixtureName)), name);
}

function installBytes(dir, bytes, name = 'swap') {
  const tmp = tempName(dir, name);
  fs.writeFileSync(tmp, bytes);
  const dest = path.join(dir, `${name}.so`);
  fs.renameSync(tmp, dest);
  return dest;
}

/**
 * Where the last loadable segment of an ELF64 file ends. Past it lie only section headers and
 * debug info, so a copy cut anywhere after it still loads: a truncation test cuts before it.
 */
function loadableEnd(bytes) {
  if (bytes.readUInt32BE(0) !== 0x7f454c46 || bytes[4] !== 2) throw new Error('not an ELF64 file');
  const phoff = Number(bytes.readBigUInt64LE(0x20));
  const phentsize = bytes.readUInt16LE(0x36);
  const phnum = bytes.readUInt16LE(0x38);
  let end = 0;
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (bytes.readUInt32LE(ph) !== 1) continue; // PT_LOAD
    end = Math.max(end, Number(bytes.readBigUInt64LE(ph + 0x08)) + Number(bytes.readBigUInt64LE(ph + 0x20)));
  }
  return end;
}

/** A cut that falls inside the loadable segments (half of them). */
function cutPoint(bytes) {
  return Math.floor(loadableEnd(bytes) / 2);
}

/** A fixture cut in the middle of its code, renamed into place: a truncated upload. */
function installTruncated(dir, fixtureName, name = 'swap') {
  const bytes = fs.readFileSync(fixture(fixtureName));
  return installBytes(dir, bytes.subarray(0, cutPoint(bytes)), name);
}

/**
 * Starts writing a fixture to `file` and stops in the middle of its code, keeping the file open
 * (a copy in progress). finish() writes the rest and closes it.
 */
function startPartialWrite(file, fixtureName) {
  const bytes = fs.readFileSync(fixture(fixtureName));
  const half = cutPoint(bytes);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, bytes, 0, half, 0);
  fs.fsyncSync(fd);
  return {
    file,
    finish() {
      fs.writeSync(fd, bytes, half, bytes.length - half, half);
      fs.closeSync(fd);
    },
  };
}

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

module.exports = { install, installBytes, installTruncated, startPartialWrite, sha256, tempName, loadableEnd };
