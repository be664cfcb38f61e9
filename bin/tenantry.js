#!/usr/bin/env node
// Runs the TypeScript entrypoint directly (no build step, nothing written into the checkout).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
