// Row "cadre psql": cadre's psql MCP server, compiled (dist/, built by `npm run build` at the
// root), started as `node dist/tools/psql/main.js --url env:BENCH_PG_URL --grant read` with its
// default options (statement checks, read-only session and transaction, statement and
// idle-in-transaction timeouts, row cap, result-size guard, rollback after every call; a pool of
// 4 connections). One round trip per call: BEGIN READ ONLY, the statement and ROLLBACK under
// one Sync.
//
//   node bench/tools/cadre-psql.mjs [--main path/to/main.js] [--cpu-prof-dir dir]
//
// --main runs another build of the server (a patched copy, for experiments); --cpu-prof-dir
// starts the server with `node --cpu-prof`, which writes its profile there when it exits.
// The result's single cell is read from the tool's JSON (structuredContent.result.rows[0][0]).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { databaseUrl, main, profileFlags, serverEnvironment } from './workload.mjs';

const args = process.argv.slice(2);
let mainFile = fileURLToPath(new URL('../../dist/tools/psql/main.js', import.meta.url));
let profileDir;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--main') mainFile = resolve(args[(i += 1)]);
  else if (args[i] === '--cpu-prof-dir') profileDir = resolve(args[(i += 1)]);
  else {
    process.stderr.write(`unknown argument ${args[i]}\n`);
    process.exit(2);
  }
}
if (!existsSync(mainFile)) {
  process.stderr.write(
    `cadre is not built: ${mainFile} is missing. Run \`npm run build\` at the repository root first (or \`npm run bench:tools\`).\n`,
  );
  process.exit(1);
}

await main({
  name: 'cadre',
  command: process.execPath,
  args: [...profileFlags(profileDir), mainFile, '--url', 'env:BENCH_PG_URL', '--grant', 'read'],
  env: serverEnvironment({ BENCH_PG_URL: databaseUrl() }),
  readOne: (result) => result.structuredContent.result.rows[0][0],
});
