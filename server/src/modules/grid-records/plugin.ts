/**
 * The grid records store on the app (`app.gridRecords`): `grid-records.sqlite`, or PostgreSQL with
 * DATABASE_URL. In demo mode an empty store of a deployment with grid cells is filled once with
 * synthetic records (synthetic-records.ts), labelled so wherever they are shown; otherwise the
 * records are what people import.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { RecordsStore } from './records-store.ts';
import { SqliteRecordsStore } from './sqlite-records-store.ts';
import { PostgresRecordsStore } from './postgres-records-store.ts';
import { syntheticRecords } from './synthetic-records.ts';

declare module 'fastify' {
  interface FastifyInstance {
    gridRecords: RecordsStore;
    /** Whether the records were made up by the demo (true), or imported. */
    gridRecordsSynthetic: boolean;
  }
}

async function gridRecords(app: FastifyInstance) {
  const store: RecordsStore = app.pg ? await PostgresRecordsStore.open(app.pg) : new SqliteRecordsStore(app.config.DATA_DIR);
  app.addHook('onClose', () => store.close());
  app.decorate('gridRecords', store);
  const counts = await store.counts();
  const empty = counts.buildings + counts.entities + counts.workers === 0;
  app.decorate('gridRecordsSynthetic', false);
  if (app.config.DEMO_MODE === 'on' && app.geo.cells.length > 0) {
    // several nodes starting at once may each write them: the rows are the same, so the second finds them unchanged
    if (empty) {
      const r = syntheticRecords(app.geo, app.profiles);
      const written = {
        buildings: await store.write('buildings', r.buildings),
        entities: await store.write('entities', r.entities),
        workers: await store.write('workers', r.workers),
      };
      app.log.info(
        { buildings: written.buildings.inserted, entities: written.entities.inserted, workers: written.workers.inserted },
        'synthetic grid records written (demo mode)',
      );
    }
    app.gridRecordsSynthetic = true;
  }
}

export default fp(gridRecords, { name: 'grid-records', dependencies: ['core'] });
