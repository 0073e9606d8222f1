// This phone's app instance, kept in IndexedDB: its id, the device key pair (CryptoKeys are stored as they
// are, so the private key stays non-extractable) and whether it is activated. A reload finds it again.

export interface StoredInstance {
  readonly instanceId: string;
  readonly keyPair: CryptoKeyPair;
  readonly activated: boolean;
  readonly biometrics: boolean;
  readonly savedAt: number;
}

const DB = 'tillid-app';
const STORE = 'instance';
const KEY = 'current';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transact<T>(
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

function isStoredInstance(v: unknown): v is StoredInstance {
  const r = v as Partial<StoredInstance> | undefined;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.instanceId === 'string' &&
    typeof r.activated === 'boolean' &&
    r.keyPair?.privateKey instanceof CryptoKey
  );
}

/** The instance on this phone, or undefined (none yet, or storage unavailable). */
export async function loadInstance(): Promise<StoredInstance | undefined> {
  if (typeof indexedDB === 'undefined') return undefined;
  try {
    const value: unknown = await transact('readonly', (s) => s.get(KEY));
    return isStoredInstance(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function saveInstance(instance: StoredInstance): Promise<void> {
  await transact('readwrite', (s) => s.put(instance, KEY));
}

export async function clearInstance(): Promise<void> {
  await transact('readwrite', (s) => s.delete(KEY));
}
