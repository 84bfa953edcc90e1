// What one authenticated requester may do: asked per check, answered by the control
// cluster (SubjectAccessReview) or, in the hub's local no-auth mode, always yes.
import type { AccessCheck } from './checks.js';

export interface Permissions {
  /** Who asks, for logs (a user name, never a credential). */
  readonly user: string;
  may(check: AccessCheck): Promise<boolean>;
}

/** The hub's local mode (HTTP_AUTH=none, loopback only): everything is allowed. */
export const EVERYTHING: Permissions = { user: 'local (no authentication)', may: () => Promise.resolve(true) };
