#!/usr/bin/env node
// Runs the TypeScript entrypoint directly (no build step, nothing written into the checkout).
import { register } from 'tsx/esm/api';

register();
// serve and worker load the server; every other command is the CLI, which needs none of it.
const command = process.argv[2];
await import(command === undefined || command === 'serve' || command === 'worker' ? '../src/main.ts' : '../src/cli/main.ts');
