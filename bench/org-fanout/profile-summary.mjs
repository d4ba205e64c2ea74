// Summarises a V8 .cpuprofile: self time by package/file and the top functions by self time.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/org-fanout/cadre.mjs
//   node bench/org-fanout/profile-summary.mjs /tmp/prof [top]
//
// Takes a .cpuprofile file or a folder (its newest .cpuprofile). Idle time is left out.
import console from 'node:console';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const [target, topArgument] = process.argv.slice(2);
if (!target) {
  console.error('usage: node profile-summary.mjs <file.cpuprofile | folder> [top]');
  process.exit(2);
}
const top = Number(topArgument ?? 30);
const file = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((name) => name.endsWith('.cpuprofile'))
      .map((name) => join(target, name))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]
  : target;
if (!file) {
  console.error(`no .cpuprofile in ${target}`);
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));

const sampled = new Map();
profile.samples.forEach((id, i) =>
  sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
);

const shortUrl = (url) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, 'node_modules/')
    .replace(process.cwd() + '/', '');
const packageOf = (url) => {
  if (!url) return '(native / VM)';
  const short = shortUrl(url);
  const inModules = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(short);
  return inModules ? inModules[1] : short;
};

let busy = 0;
let idle = 0;
const byFunction = new Map();
const byPackage = new Map();
for (const node of profile.nodes) {
  const micros = sampled.get(node.id) ?? 0;
  if (micros === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === '(idle)') {
    idle += micros;
    continue;
  }
  busy += micros;
  const name = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  const where = url ? packageOf(url) : `(${functionName})`;
  byPackage.set(where, (byPackage.get(where) ?? 0) + micros);
}

const rows = (map) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([name, micros]) =>
        `${(micros / 1000).toFixed(1).padStart(9)} ms ${((100 * micros) / busy).toFixed(1).padStart(5)}%  ${name}`,
    )
    .join('\n');
console.log(`${file}: busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`);
console.log('\nself time by package / file:');
console.log(rows(byPackage));
console.log('\nself time by function:');
console.log(rows(byFunction));
