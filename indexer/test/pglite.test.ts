import { indexerSuite } from './suite.ts';

indexerSuite('pglite');
