#!/usr/bin/env node
// A private Azurite for one process (a test run, a script): free loopback ports, a throw-away data folder, and a
// lifetime tied to whoever holds this process's standard input.
//
//   node infra/scripts/azurite-private.mjs
//
// Needs Azurite installed by infra/scripts/install-azurite.sh (.tools/azurite). Starts it on three free ports of
// 127.0.0.1 with a new folder under the temp directory, waits until blob, queue and table answer, then prints one JSON
// line on standard output:
//
//   {"pid":1234,"blobPort":41001,"queuePort":41002,"tablePort":41003,"dataFolder":"/tmp/dfx-azurite-XXXXXX"}
//
// It stops Azurite and deletes the data folder when its standard input closes (the owner ended, exited or was killed:
// the kernel closes the pipe either way), on SIGTERM, SIGINT or SIGHUP, or when Azurite exits by itself (exit 1 then).
// Azurite's own output goes to azurite.log in the data folder and is copied to standard error if it fails to start.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const azuriteMain = path.join(root, '.tools', 'azurite', 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
const startAttempts = 3;
const readyTimeoutMs = 60_000;

function fail(message) {
  process.stderr.write(`azurite-private: ${message}\n`);
  process.exit(1);
}

if (!existsSync(azuriteMain)) {
  fail(`Azurite is not installed at ${path.dirname(azuriteMain)}; run infra/scripts/install-azurite.sh first`);
}

/** A port the kernel had free on 127.0.0.1 a moment ago (Azurite binds it next; a lost race is retried). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function answers(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

let child = null;
let dataFolder = null;
let stopping = false;

function removeDataFolder() {
  if (dataFolder !== null) {
    // Azurite has exited, so nothing holds files open; retries cover a slow file system.
    rmSync(dataFolder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    dataFolder = null;
  }
}

/**
 * Stops Azurite, deletes the data folder, exits with the given code. SIGKILL straight away: the data is thrown away, and
 * Azurite's own shutdown can close its ports and then hang for seconds, which would outlive a test run.
 */
function stop(code) {
  if (stopping) return;
  stopping = true;
  if (child === null || child.exitCode !== null || child.signalCode !== null) {
    removeDataFolder();
    process.exit(code);
  }
  child.once('exit', () => {
    removeDataFolder();
    process.exit(code);
  });
  child.kill('SIGKILL');
}

// The owner's end of standard input closing is the signal to stop, whatever ended the owner.
process.stdin.on('end', () => stop(0));
process.stdin.on('close', () => stop(0));
process.stdin.on('error', () => stop(0));
process.stdin.resume();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => stop(0));
}

async function startOnce(attempt) {
  const [blobPort, queuePort, tablePort] = [await freePort(), await freePort(), await freePort()];
  dataFolder = mkdtempSync(path.join(os.tmpdir(), 'dfx-azurite-'));
  const log = path.join(dataFolder, 'azurite.log');
  const logFd = openSync(log, 'a');
  child = spawn(process.execPath, [
    azuriteMain, '--silent', '--skipApiVersionCheck', '--loose',
    '--blobHost', '127.0.0.1', '--blobPort', String(blobPort),
    '--queueHost', '127.0.0.1', '--queuePort', String(queuePort),
    '--tableHost', '127.0.0.1', '--tablePort', String(tablePort),
    '--location', dataFolder,
  ], { stdio: ['ignore', logFd, logFd] });

  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline && !stopping) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const output = readFileSync(log, 'utf8');
      child = null;
      removeDataFolder();
      if (attempt < startAttempts && /EADDRINUSE/.test(output)) {
        return false; // another process took a port between the check and the bind: try new ports
      }
      fail(`Azurite exited while starting; its output:\n${output}`);
    }
    const ready = await Promise.all([blobPort, queuePort, tablePort].map(answers));
    if (ready.every(Boolean)) {
      child.once('exit', (code, signal) => {
        if (!stopping) {
          process.stderr.write(`azurite-private: Azurite exited unexpectedly (code ${code}, signal ${signal})\n`);
          child = null;
          removeDataFolder();
          process.exit(1);
        }
      });
      process.stdout.write(`${JSON.stringify({ pid: child.pid, blobPort, queuePort, tablePort, dataFolder })}\n`);
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!stopping) {
    process.stderr.write(`azurite-private: Azurite did not answer within ${readyTimeoutMs / 1000} s\n`);
    stop(1);
  }
  return true;
}

for (let attempt = 1; attempt <= startAttempts; attempt++) {
  if (await startOnce(attempt)) break;
}
