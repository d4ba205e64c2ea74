// Optional row "sdk-pg-floor" (not run by default): the same protocol against
// sdk-pg-floor-server.mjs, the floor server plus one round trip to PostgreSQL per call and
// nothing else (no checks, no transaction, no result table). It bounds what any server on this
// SDK that asks the database can reach here: cadre's 1.5× goal is in reach only at moments when
// this row is itself above 1.5× the peer.
//
//   node bench/tools/sdk-pg-floor.mjs [--cpu-prof-dir dir]
import { resolve } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { databaseUrl, main, profileFlags, serverEnvironment } from './workload.mjs';

const args = process.argv.slice(2);
let profileDir;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--cpu-prof-dir') profileDir = resolve(args[(i += 1)]);
  else {
    process.stderr.write(`unknown argument ${args[i]}\n`);
    process.exit(2);
  }
}

await main({
  name: 'sdk-pg-floor',
  command: process.execPath,
  args: [
    ...profileFlags(profileDir),
    fileURLToPath(new URL('sdk-pg-floor-server.mjs', import.meta.url)),
  ],
  env: serverEnvironment({ BENCH_PG_URL: databaseUrl() }),
  readOne: (result) => result.structuredContent.result.rows[0][0],
});
