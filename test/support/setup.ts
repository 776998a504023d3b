// Runs before every test file (vitest.config.ts `setupFiles`): registered here, not in the helper modules, so the
// hooks run for every file even where files share one module graph (the 'ui' and 'unit' projects).
import { afterAll, afterEach } from 'vitest';
import { removeTempDirs } from './files.js';
import { endPeers } from './locks.js';

afterEach(endPeers);
afterAll(removeTempDirs);
