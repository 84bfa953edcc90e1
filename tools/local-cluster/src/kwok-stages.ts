// kwok's stages for a local cluster: the ones its module ships (nodes Ready with a lease,
// pods Running and Ready, Jobs complete, pods deleted), with one change for tests that
// need a release to fail for real: a pod whose template carries UNREADY_POD_LABEL runs
// but never becomes Ready.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';

/** Pod label (`"true"`) that keeps kwok from ever making the pod Ready. */
export const UNREADY_POD_LABEL = 'kwok.gridfed.io/unready';

const notMarked = { key: `.metadata.labels["${UNREADY_POD_LABEL}"]`, operator: 'DoesNotExist' };

const unreadyStage = {
  apiVersion: 'kwok.x-k8s.io/v1alpha1',
  kind: 'Stage',
  metadata: { name: 'pod-unready' },
  spec: {
    resourceRef: { apiGroup: 'v1', kind: 'Pod' },
    selector: {
      matchExpressions: [
        { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
        { key: '.status.phase', operator: 'In', values: ['Pending'] },
        { key: `.metadata.labels["${UNREADY_POD_LABEL}"]`, operator: 'In', values: ['true'] },
      ],
    },
    next: {
      statusTemplate: [
        '{{ $now := Now }}',
        'conditions:',
        '- lastTransitionTime: {{ $now | Quote }}',
        '  status: "True"',
        '  type: Initialized',
        '- lastTransitionTime: {{ $now | Quote }}',
        '  status: "False"',
        '  reason: MarkedUnready',
        '  type: Ready',
        'containerStatuses:',
        '{{ range .spec.containers }}',
        '- image: {{ .image | Quote }}',
        '  name: {{ .name | Quote }}',
        '  ready: false',
        '  restartCount: 0',
        '  state:',
        '    running:',
        '      startedAt: {{ $now | Quote }}',
        '{{ end }}',
        'phase: Running',
        'startTime: {{ $now | Quote }}',
        '',
      ].join('\n'),
    },
  },
};

interface Stage {
  metadata?: { name?: string };
  spec?: { selector?: { matchExpressions?: object[] } };
}

/** Writes the stages to `out`, from the stages file built with kwok (`shipped`). */
export function writeKwokStages(shipped: string, out: string): void {
  const stages = parseAllDocuments(readFileSync(shipped, 'utf8'))
    .map((doc) => doc.toJS() as Stage | null)
    .filter((stage): stage is Stage => stage !== null);
  for (const stage of stages) {
    if (stage.metadata?.name !== 'pod-ready') continue;
    const selector = (stage.spec ??= {}).selector ?? {};
    selector.matchExpressions = [...(selector.matchExpressions ?? []), notMarked];
    stage.spec.selector = selector;
  }
  writeFileSync(out, [...stages, unreadyStage].map((stage) => `---\n${stringify(stage)}`).join(''));
}
