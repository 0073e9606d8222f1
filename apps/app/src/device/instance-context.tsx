// This phone's app instance for every screen: loaded from IndexedDB when the app starts, saved when a copy
// activates it, so a reload shows the activated app. Also the app authenticator API (journeys B and D).
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type AppApi, appApi, type DeviceSigner } from '../api/app-api.ts';
import { loadInstance, type StoredInstance, saveInstance } from './instance-store.ts';

export interface InstanceContextValue {
  /** The stored instance (activated or half-way through a copy), or undefined. */
  readonly instance: StoredInstance | undefined;
  /** Whether IndexedDB has been read (before that, `instance` is not known yet). */
  readonly loaded: boolean;
  readonly appApi: AppApi;
  save(instance: StoredInstance): Promise<void>;
}

const InstanceContext = createContext<InstanceContextValue | null>(null);

export function InstanceProvider(props: { children: ReactNode; onRetry?: () => void }) {
  const [instance, setInstance] = useState<StoredInstance | undefined>(undefined);
  const [loaded, setLoaded] = useState(false);
  const { onRetry } = props;
  const api = useMemo(() => appApi(onRetry ? { onRetry } : {}), [onRetry]);
  useEffect(() => {
    let live = true;
    void loadInstance().then((found) => {
      if (!live) return;
      setInstance(found);
      setLoaded(true);
    });
    return () => {
      live = false;
    };
  }, []);
  const save = useCallback(async (next: StoredInstance) => {
    await saveInstance(next);
    setInstance(next);
  }, []);
  const value = useMemo(() => ({ instance, loaded, appApi: api, save }), [instance, loaded, api, save]);
  return <InstanceContext.Provider value={value}>{props.children}</InstanceContext.Provider>;
}

export function useInstance(): InstanceContextValue {
  const value = useContext(InstanceContext);
  if (!value) throw new TypeError('useInstance outside InstanceProvider');
  return value;
}

/** The activated instance's signer, or undefined when this phone has no activated app. */
export function activatedSigner(instance: StoredInstance | undefined): DeviceSigner | undefined {
  return instance?.activated
    ? { instanceId: instance.instanceId, privateKey: instance.keyPair.privateKey }
    : undefined;
}
