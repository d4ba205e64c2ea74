// Row "@modelcontextprotocol/server-postgres": the reference Postgres MCP server (archived, still
// on npm; pinned in bench/package.json), started through its bin (`dist/index.js <url>`). Its
// `query` tool runs the SQL inside BEGIN TRANSACTION READ ONLY and rolls back (pg pool of 10).
//
//   node bench/tools/server-postgres.mjs [--cpu-prof-dir dir]
//
// The result is the rows as JSON text: [{ "?column?": 1 }].
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
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

const require = createRequire(import.meta.url);
let packageFile;
try {
  packageFile = require.resolve('@modelcontextprotocol/server-postgres/package.json');
} catch {
  process.stderr.write(
    '@modelcontextprotocol/server-postgres is not installed: run `npm --prefix bench ci` first.\n',
  );
  process.exit(1);
}
const { bin } = require(packageFile);
const binFile = join(
  dirname(packageFile),
  typeof bin === 'string' ? bin : bin['mcp-server-postgres'],
);

await main({
  name: 'server-postgres',
  command: process.execPath,
  args: [...profileFlags(profileDir), binFile, databaseUrl()],
  env: serverEnvironment(),
  readOne: (result) => JSON.parse(result.content[0].text)[0]['?column?'],
});
