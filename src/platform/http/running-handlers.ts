import type { FastifyInstance, RouteHandlerMethod, RouteOptions } from 'fastify';

/**
 * Makes `app.close()` wait for the route handlers still running. Fastify's close waits for open
 * connections only, and a client that hangs up does not stop its handler: without this, shutdown
 * would close the store under a handler halfway through its work. Bounded by `limitMs`, so a
 * handler that never ends cannot hold the process. Register before the routes.
 */
export function awaitRunningHandlersOnClose(app: FastifyInstance, limitMs: number): void {
  const running = new Set<Promise<void>>();
  app.addHook('onRoute', (route: RouteOptions) => {
    const handler = route.handler as (this: FastifyInstance, ...args: Parameters<RouteHandlerMethod>) => unknown;
    route.handler = function (request, reply) {
      const result = handler.call(this, request, reply);
      // Handlers that answer synchronously (or by callback) are handed back as they are.
      if (result instanceof Promise) {
        const settled = result.then(
          () => {},
          () => {},
        );
        running.add(settled);
        void settled.then(() => running.delete(settled));
      }
      return result;
    };
  });
  app.addHook('onClose', async () => {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
    while (running.size > 0) {
      if ((await Promise.race([Promise.all(running).then(() => 'done'), limit.then(() => 'late')])) === 'late') break;
    }
    clearTimeout(timer);
  });
}
