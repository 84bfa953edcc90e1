// Namespaces for tests and the benchmark (no jest here, so tsx scripts can import it).
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';

/** Creates the namespace unless it exists. */
export async function ensureNamespace(kc: KubeConfig, name: string): Promise<void> {
  await kc
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name } } })
    .catch((err: unknown) => {
      if ((err as { code?: number }).code !== 409) throw err;
    });
}
