import { runCli } from './index.js';

// The CLI entry without the server's modules: `bin/tenantry.js` comes here for every command but
// serve and worker, so a CLI call does not load Fastify, the database drivers or argon2.
process.exitCode = await runCli(process.argv.slice(2));
