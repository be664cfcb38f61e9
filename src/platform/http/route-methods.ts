import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * The methods a request path is routed for, to tell a wrong method (405) from an unknown path
 * (404) where a dialect asks for it. Register before the routes it is to know (an encapsulated
 * `onRoute` hook sees the routes of its plugin and of the plugins it registers). Paths are matched
 * as the router matches them: in any case, with doubled and trailing slashes ignored.
 */
export function routeMethods(app: FastifyInstance): (url: string) => string[] {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const pattern = normalize(route.url ?? '')
      .split('/')
      .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    routes.push({ pattern: new RegExp(`^${pattern}$`, 'i'), methods: ([] as string[]).concat(route.method) });
  });
  return (url) => {
    const path = normalize(url.split('?')[0]);
    const methods = new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods));
    return [...methods].sort();
  };
}

const normalize = (path: string) => path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
