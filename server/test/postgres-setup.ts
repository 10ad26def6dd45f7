/** Setup of the suite's run on PostgreSQL (`server-pg`): the databases its apps made go at the end of each file. */
import { afterAll } from 'vitest';
import { dropTestDatabases } from './helpers.ts';

afterAll(() => dropTestDatabases());
