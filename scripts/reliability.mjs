// `npm run test:reliability`: the reliability suite at its full counts, then RELIABILITY.md's figures.
//   1. build; 2. protocol fuzzing, 1 000 000 runs per property (seeded); 3. the reliability-*.test.ts files of
//   @wdk/core and @wdk/agent with WDK_RELIABILITY_FULL=1 (100 kills of wpa_supplicant on the simulator and on
//   the real daemon, 100 SIGKILLs of the agent during writes, 5 s CPU watches …), each writing its figures as
//   JSON; 4. the route-classification check on a scratch copy; 5. `pnpm audit --prod`.
// The section between the FIGURES markers of RELIABILITY.md is rewritten; the rest is prose kept as it is.
// Exits 1 if any step failed (the figures are written anyway, failures marked). Options: --skip-build,
// --only core|agent|fuzz|routes|audit (repeatable).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkRouteClassification } from './reliability/route-classification.mjs';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { 'skip-build': { type: 'boolean', default: false }, only: { type: 'string', multiple: true } },
});
const wanted = (step) => !values.only || values.only.includes(step);
const reportDir = mkdtempSync(path.join(os.tmpdir(), 'wdk-reliability-'));
const results = [];
const log = (message) => console.log(`\n=== reliability: ${message}`);

function run(name, command, args, options = {}) {
  log(`${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const child = spawnSync(command, args, {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    timeout: options.timeoutMs ?? 30 * 60_000,
  });
  const output = `${child.stdout ?? ''}${child.stderr ?? ''}`;
  process.stdout.write(options.quiet ? output.split('\n').slice(-15).join('\n') : output);
  const result = { name, ok: child.status === 0, seconds: Math.round((Date.now() - started) / 1000), output };
  results.push(result);
  return result;
}

if (!values['skip-build']) {
  const build = run('build', 'pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
    quiet: true,
  });
  // A colleague's edit in progress can break one build; try once more.
  if (
    !build.ok &&
    run('build (retry)', 'pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']).ok
  ) {
    results.splice(results.indexOf(build), 1);
  }
}

const fullEnv = {
  WDK_RELIABILITY_FULL: '1',
  WDK_RELIABILITY_REPORT_DIR: reportDir,
  WDK_RELIABILITY_USE_DIST: '1',
};

let fuzz = null;
if (wanted('fuzz')) {
  const result = run('fuzz', 'pnpm', [
    '--filter',
    '@wdk/core',
    'exec',
    'tsx',
    'scripts/fuzz.ts',
    '--count',
    '1000000',
    '--seed',
    '42',
  ]);
  fuzz = {
    ok: result.ok,
    seconds: result.seconds,
    lines: result.output.split('\n').filter((line) => /^(ok|FAIL) |^builders:|^fuzzing with/.test(line)),
  };
}

// One file at a time: the timing figures (re-attach, latency, CPU) are not measured against each other.
const vitestArgs = ['exec', 'vitest', 'run', '--fileParallelism=false', '--reporter=verbose'];
if (wanted('core')) {
  run('core reliability tests', 'pnpm', [...vitestArgs, 'test/reliability-'], {
    cwd: path.join(root, 'packages', 'core'),
    env: fullEnv,
    quiet: true,
  });
}
if (wanted('agent')) {
  run('agent reliability tests', 'pnpm', [...vitestArgs, 'test/reliability-'], {
    cwd: path.join(root, 'apps', 'agent'),
    env: fullEnv,
    quiet: true,
  });
}

let routes = null;
if (wanted('routes')) {
  log('route classification on a scratch copy');
  routes = checkRouteClassification(root);
  console.log(routes.detail);
  results.push({ name: 'route classification', ok: routes.ok, seconds: 0, output: routes.detail });
}

let audit = null;
if (wanted('audit')) {
  const result = run('audit', 'pnpm', ['audit', '--prod'], { timeoutMs: 120_000 });
  const unreachable = /ERR_PNPM_AUDIT_BAD_RESPONSE|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|responded with \d+/.test(
    result.output,
  );
  const summary = /(\d+) vulnerabilities? found[^\n]*/.exec(result.output)?.[0] ?? null;
  audit = {
    ok: result.ok,
    unreachable,
    summary,
    text: result.output.trim().split('\n').slice(0, 12).join('\n'),
  };
  // An unreachable advisory endpoint is reported as not checked, not counted as a failure of the product.
  if (unreachable) Object.assign(result, { ok: true, notChecked: 'advisory endpoint unreachable' });
}

// ---------------------------------------------------------------------------------------------- figures
const figures = Object.fromEntries(
  (existsSync(reportDir) ? readdirSync(reportDir) : [])
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file.slice(0, -5), JSON.parse(readFileSync(path.join(reportDir, file), 'utf8'))]),
);
rmSync(reportDir, { recursive: true, force: true });

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
  cwd: root,
  encoding: 'utf8',
}).stdout.trim();
const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
const json = (value) => (value === undefined ? '—' : `\`${JSON.stringify(value)}\``);
const lines = [];
lines.push(
  `Last full run: ${when} UTC, commit ${commit}, ${os.cpus().length} cores (\`npm run test:reliability\`).`,
);
lines.push('');
lines.push('| step | result | time |');
lines.push('| --- | --- | --- |');
for (const result of results)
  lines.push(
    `| ${result.name} | ${result.notChecked ? `not checked (${result.notChecked})` : result.ok ? 'passed' : '**FAILED**'} | ${result.seconds} s |`,
  );
lines.push('');

const f = (name) => figures[name];
if (fuzz) {
  lines.push('**Protocol fuzzing** (seed 42):');
  lines.push('');
  for (const line of fuzz.lines) lines.push(`- \`${line}\``);
  lines.push('');
}
if (f('daemon-kill-sim')) {
  const x = f('daemon-kill-sim');
  lines.push(
    `**wpa_supplicant SIGKILL under the agent (simulator)**: ${x.kills} kills (${x.stages.idle} idle, ${x.stages.connecting} while connecting, ${x.stages.connected} with a client just connected), ` +
      `${x.staleGroupsLeft} of them leaving a stale group behind. Re-attach after restart: max ${x.reattachMs.max} ms, p50 ${x.reattachMs.p50} ms, p95 ${x.reattachMs.p95} ms (bound 2 000 ms). ` +
      `${x.sessionsClosedByRestart} sessions closed with reason daemon-restart; the next phone connected ${x.nextPhoneConnected}/${x.kills} times` +
      (x.nextPhoneNeededARetry?.length
        ? ` (${x.nextPhoneNeededARetry.length} needed the phone's own retry: ${json(x.nextPhoneNeededARetry)})`
        : ', none needing a retry') +
      '.',
  );
  lines.push('');
}
if (f('daemon-kill-real')) {
  const x = f('daemon-kill-real');
  lines.push(
    `**Real wpa_supplicant kill -9** (Debian 2.10, -Dwired in a netns): ${x.kills} kills (${x.busyKills} with requests in flight). ` +
      `Re-attach, measured from spawning the new daemon (so including its own start-up): max ${x.reattachFromSpawnMs.max} ms, p50 ${x.reattachFromSpawnMs.p50} ms, p95 ${x.reattachFromSpawnMs.p95} ms (bound 2 000 ms). ` +
      `How the loss was noticed: ${json(x.disconnectReasons)}. The ConnectionRunner saw daemon-back ${x.runnerDaemonBack} times; client errors reported: ${x.clientErrors}.`,
  );
  lines.push('');
}
if (f('ctrl-faults')) {
  const x = f('ctrl-faults');
  lines.push(
    `**Control-socket faults** (CPU watched for ${x.waitMs} ms of waiting each; budget ${x.cpuBudget * 100} % of a core):`,
  );
  lines.push('');
  lines.push('| fault | error shown | CPU while waiting | other | recovered after fix |');
  lines.push('| --- | --- | --- | --- | --- |');
  for (const [name, c] of Object.entries(x.cases)) {
    const { error, cpuMs, recoveredMs, ...other } = c;
    lines.push(
      `| ${name} | ${error.replace(/\|/g, '\\|')} | ${Math.round(cpuMs)} ms | ${json(other)} | ${recoveredMs} ms |`,
    );
  }
  lines.push('');
}
if (f('agent-kill')) {
  const x = f('agent-kill');
  lines.push(
    `**Agent SIGKILL during writes**: ${x.kills} kills${x.compiledCli ? ' (compiled CLI)' : ''}; ${x.acknowledgedWrites} acknowledged writes, ${x.acknowledgedWritesLost} lost; ` +
      `${x.whitelistEntriesTracked} whitelist entries tracked; ${x.inFlightWritesThatLanded} unacknowledged in-flight writes landed anyway (allowed); ` +
      `PRAGMA integrity_check = ok ${x.integrityChecks}/${x.kills}.`,
  );
  lines.push('');
}
if (f('db-faults')) {
  const x = f('db-faults');
  if (x.locked)
    lines.push(
      `**Database locked** (BEGIN EXCLUSIVE from another connection, busy_timeout ${x.locked.busyTimeoutMs} ms): HTTP ${x.locked.status} "${x.locked.message}" after ${x.locked.waitedMs} ms; state.lastError shows it; the next write after release succeeded; nothing lost.`,
    );
  if (x.diskFull)
    lines.push(
      `**Disk full** (${x.diskFull.method}): HTTP ${x.diskFull.status} "${x.diskFull.message}"; ${x.diskFull.writesAcceptedAfterFilling} writes still fitted before that; all ${x.diskFull.acknowledgedAfterRestart} acknowledged entries present after freeing space and restarting; integrity_check ok.`,
    );
  lines.push('');
}
if (f('hostile-peers')) {
  const x = f('hostile-peers');
  lines.push(`**Hostile peers**: ${json(x)}`);
  lines.push('');
}
if (f('hostile-clients')) lines.push(`**Hostile clients**: ${json(f('hostile-clients'))}`, '');
if (f('secrets')) lines.push(`**Secrets**: ${json(f('secrets'))}`, '');
if (routes)
  lines.push(
    `**Route classification check**: ${routes.ok ? 'proved' : '**NOT proved**'}: ${routes.detail}.`,
    '',
  );
if (audit) {
  lines.push(
    audit.unreachable
      ? `**pnpm audit --prod**: the registry's advisory endpoint could not be used from here:`
      : `**pnpm audit --prod**: ${audit.summary ?? (audit.ok ? 'no known vulnerabilities' : 'see output')}`,
  );
  lines.push('', '```', audit.text, '```', '');
}

const file = path.join(root, 'RELIABILITY.md');
const START = '<!-- FIGURES:START (written by scripts/reliability.mjs) -->';
const END = '<!-- FIGURES:END -->';
const current = existsSync(file) ? readFileSync(file, 'utf8') : `# Reliability\n\n${START}\n${END}\n`;
const before = current.includes(START)
  ? current.slice(0, current.indexOf(START))
  : `${current.trimEnd()}\n\n`;
const after = current.includes(END) ? current.slice(current.indexOf(END) + END.length) : '\n';
writeFileSync(file, `${before}${START}\n\n${lines.join('\n').trimEnd()}\n\n${END}${after}`);
// Keep the file as `prettier --check .` (npm test) wants it.
spawnSync('pnpm', ['exec', 'prettier', '--write', '--log-level', 'warn', file], {
  cwd: root,
  stdio: 'inherit',
});
log(`figures written to RELIABILITY.md`);

const failed = results.filter((result) => !result.ok);
if (failed.length > 0) {
  console.error(`reliability: FAILED: ${failed.map((result) => result.name).join(', ')}`);
  process.exit(1);
}
console.log('reliability: all steps passed');
