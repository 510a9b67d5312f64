/**
 * Where does a gateway's time go? Runs one target (StackOps by default; BENCH_PROFILE_TARGET
 * picks floor or portkey) in a child with `--cpu-prof`, loads it non-streaming then streaming,
 * stops it cleanly so V8 writes the profile to bench/.profiles, and prints the top self-time
 * functions and the split by package.
 *
 *   node --import tsx bench/profile-gateway.ts        (or BENCH_PROFILE=1 npm run bench:gateway)
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startChild } from './children.js';
import { runLoad } from './load.js';
import { loadTarget, startTarget, TARGET_NAMES, type TargetName, verifyTarget } from './targets.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the monotonic clock that process.hrtime also reads, in every process. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A span of the monotonic clock in microseconds, comparable with a child's profile times. */
export interface ClockWindow {
  fromUs: number;
  toUs: number;
}

function monotonicMicroseconds(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

const profileDir = fileURLToPath(new URL('./.profiles/', import.meta.url));
const repositoryUrl = pathToFileURL(fileURLToPath(new URL('..', import.meta.url))).href;

function shortUrl(url: string): string {
  if (!url) return '';
  const local = url.startsWith(repositoryUrl) ? url.slice(repositoryUrl.length) : url;
  const packageIndex = local.lastIndexOf('node_modules/');
  return packageIndex >= 0 ? local.slice(packageIndex + 'node_modules/'.length) : local;
}

/** node:internal, a package name, or a folder of this repository. */
function ownerOf(url: string): string {
  if (url.startsWith('node:')) return 'node:internal';
  const packageIndex = url.lastIndexOf('node_modules/');
  if (packageIndex >= 0) {
    const [scopeOrName = '', name = ''] = url.slice(packageIndex + 'node_modules/'.length).split('/');
    return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
  }
  return shortUrl(url).split('/').slice(0, 2).join('/');
}

/** Self time per function and per package, counting only samples inside `window`. */
export function summarizeProfile(profile: CpuProfile, window: ClockWindow, top = 15): string {
  const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByFunction = new Map<string, number>();
  const selfByOwner = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  // timeDeltas[i] is the gap before sample i, so sample i ran until sample i + 1.
  let sampleTime = profile.startTime;
  for (let index = 0; index < profile.samples.length; index++) {
    sampleTime += profile.timeDeltas[index] ?? 0;
    const node = nodesById.get(profile.samples[index]!);
    const micros = profile.timeDeltas[index + 1] ?? 0;
    if (!node || sampleTime < window.fromUs || sampleTime > window.toUs) continue;
    totalUs += micros;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleUs += micros;
      continue;
    }
    // tsx emits each module on one line, so a line number means something only in plain JS.
    const where = url ? `  ${shortUrl(url)}${lineNumber > 0 ? `:${lineNumber + 1}` : ''}` : '';
    const key = `${functionName || '(anonymous)'}${where}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + micros);
    const owner = url ? ownerOf(url) : functionName;
    selfByOwner.set(owner, (selfByOwner.get(owner) ?? 0) + micros);
  }
  const busyUs = totalUs - idleUs;
  const lines = [
    `under load ${(totalUs / 1e6).toFixed(1)} s (start-up and warm-up left out), busy ${(busyUs / 1e6).toFixed(1)} s (${((busyUs / totalUs) * 100).toFixed(0)}%)`,
    '',
    `top ${top} functions by self time (% of busy time):`,
  ];
  const ranked = [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, micros] of ranked)
    lines.push(
      `${((micros / busyUs) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${key}`,
    );
  lines.push('', 'self time by package / folder:');
  for (const [owner, micros] of [...selfByOwner].sort((a, b) => b[1] - a[1]).slice(0, 12))
    lines.push(`${((micros / busyUs) * 100).toFixed(1).padStart(5)}%  ${owner}`);
  return lines.join('\n');
}

/**
 * V8 names profiles CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile; thread 0 is the
 * main thread (tsx's loader runs in a worker thread that writes a profile of its own).
 */
async function mainThreadProfile(pid: number): Promise<string> {
  const file = (await readdir(profileDir)).find(
    (name) => name.endsWith('.cpuprofile') && name.includes(`.${pid}.0.`),
  );
  if (!file) throw new Error(`no main-thread .cpuprofile for pid ${pid} in ${profileDir}`);
  return path.join(profileDir, file);
}

export async function profileGateway(): Promise<void> {
  const name = (process.env.BENCH_PROFILE_TARGET ?? 'stackops') as TargetName;
  if (!TARGET_NAMES.includes(name) || name === 'upstream')
    throw new Error(`BENCH_PROFILE_TARGET must be floor, stackops or portkey, not ${name}`);
  const durationMs = Number(process.env.BENCH_DURATION_S ?? 5) * 1000;
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  await mkdir(profileDir, { recursive: true });

  const upstream = await startChild('upstream', './upstream.ts');
  try {
    const target = await startTarget(name, upstream, ['--cpu-prof', '--cpu-prof-dir', profileDir]);
    await verifyTarget(target, upstream);
    // Warm up first, so the profile shows the steady state rather than module loading and JIT.
    await runLoad(loadTarget(target, false), { connections, durationMs: 2000 });
    await runLoad(loadTarget(target, true), { connections, durationMs: 2000 });
    const window: ClockWindow = { fromUs: monotonicMicroseconds(), toUs: 0 };
    for (const stream of [false, true]) {
      const result = await runLoad(loadTarget(target, stream), { connections, durationMs });
      const rps = result.ok / (result.elapsedMs / 1000);
      process.stdout.write(
        `${name} ${stream ? 'stream' : 'non-stream'}: ${rps.toFixed(0)} req/s at ${connections} connections, ${result.failed} errors\n`,
      );
    }
    window.toUs = monotonicMicroseconds();
    const pid = target.server.process.pid ?? 0;
    await target.server.stop();
    const file = await mainThreadProfile(pid);
    process.stdout.write(`\nprofile: ${path.relative(process.cwd(), file)}\n`);
    const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    process.stdout.write(`${summarizeProfile(profile, window)}\n`);
  } finally {
    await upstream.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await profileGateway();
