import { createMemoryStore } from '../../src/store/memory-store.js';
import { storeContract } from '../contracts/store.contract.js';

// The memory store keeps nothing after close, so it gets no `reopen` and no durability tests.
storeContract('memory', async () => createMemoryStore());
