/**
 * The HTTP ceiling yardstick of issue 9: a trivial Fastify JSON route in a process of its own,
 * loaded with the same autocannon settings as the service. Prints its port on stdout.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
