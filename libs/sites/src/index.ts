export { planNodeMembership } from './plan.js';
export { memberNodeOf } from './member-node.js';
export { selects } from './selector.js';
export { mergePatchBody } from './node-patch.js';
export { readManagedRecord, writeManagedRecord, type ManagedRecord } from './managed-record.js';
export type { MemberNode, MemberNodes, MembershipInput, MembershipPlan, NodePatch } from './types.js';
export { nodeGroupWorkloadStatus } from './workload-status.js';
export { memberSiteFacts, nodeUnitStatusAcross, type MemberNodeUnitFacts, type MemberSiteFacts } from './site-facts.js';
