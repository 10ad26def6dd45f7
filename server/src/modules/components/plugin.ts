/**
 * The component registry of the deployment (COMPONENTS_FILE, Pingshan's by default), its service
 * and map index, on the app. Without a registry (a geography that has none: the synthetic city)
 * the app runs as before and the log says so; the components API then answers 404.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { ComponentRegistry } from './component-registry.ts';
import { ComponentService } from './component-service.ts';
import { ComponentMap } from './component-map.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Components one by one (null without a registry). */
    componentService: ComponentService | null;
    componentMap: ComponentMap | null;
  }
}

async function components(app: FastifyInstance) {
  const registry = ComponentRegistry.load(app.geo, app.config.COMPONENTS_FILE, (msg) => app.log.warn(msg));
  app.decorate('componentService', registry ? new ComponentService(registry, app.geo, app.engine) : null);
  app.decorate('componentMap', registry ? new ComponentMap(registry) : null);
  if (registry) {
    app.engine.useComponentCounts(registry.countsByCell());
    app.log.info({ components: registry.size }, 'city-component registry loaded');
  }
}

export default fp(components, { name: 'components', dependencies: ['core'] });
