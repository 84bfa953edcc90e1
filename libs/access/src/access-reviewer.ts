// Authentication and authorization of the hub's HTTP requesters by the control cluster, as
// kube-rbac-proxy does: a TokenReview says who holds a bearer token, a SubjectAccessReview
// whether that user may do one thing. Answers are cached briefly under the token's hash.
import {
  AuthenticationV1Api,
  AuthorizationV1Api,
  type KubeConfig,
  type V1SubjectAccessReviewSpec,
  type V1UserInfo,
} from '@kubernetes/client-node';
import pLimit, { type LimitFunction } from 'p-limit';
import { describeError, makeClient, type RequestObserver } from '#gridfed/kube';
import { describeCheck, type AccessCheck } from './checks.js';
import { ExpiringCache } from './expiring-cache.js';
import { tokenKey } from './bearer.js';
import type { Permissions } from './permissions.js';

export interface AccessReviewerOptions {
  /** How long an answer (allowed, denied, authenticated or not) is reused. */
  cacheTtlMs: number;
  /** Tokens and (token, check) pairs remembered at most, each. */
  maxEntries?: number;
  /** Reviews in flight to the apiserver at once. */
  concurrency?: number;
  timeoutMs: number;
  observe?: RequestObserver;
}

/** Who a token belongs to. `key` is the token's hash: the token itself is not kept. */
export interface Requester {
  key: string;
  user: V1UserInfo;
}

/** The control cluster did not answer a review: the request can be neither allowed nor refused. */
export class ReviewUnavailableError extends Error {}

export class AccessReviewer {
  private readonly authn: AuthenticationV1Api;
  private readonly authz: AuthorizationV1Api;
  private readonly limit: LimitFunction;
  private readonly tokens: ExpiringCache<Requester | undefined>;
  private readonly decisions: ExpiringCache<boolean>;

  constructor(control: KubeConfig, options: AccessReviewerOptions) {
    const client = { cluster: 'control', timeoutMs: options.timeoutMs, observe: options.observe };
    this.authn = makeClient(control, AuthenticationV1Api, client);
    this.authz = makeClient(control, AuthorizationV1Api, client);
    this.limit = pLimit(options.concurrency ?? 8);
    const cache = { ttlMs: options.cacheTtlMs, maxEntries: options.maxEntries ?? 1000 };
    this.tokens = new ExpiringCache(cache);
    this.decisions = new ExpiringCache(cache);
  }

  /** The token's user, or undefined when the control cluster does not accept the token. */
  authenticate(token: string): Promise<Requester | undefined> {
    const key = tokenKey(token);
    return this.tokens.get(key, () => this.limit(() => this.tokenReview(key, token)));
  }

  /** What this requester may do, each answer from a SubjectAccessReview (cached). */
  permissions(requester: Requester): Permissions {
    return {
      user: requester.user.username ?? 'unknown user',
      may: (check) =>
        this.decisions.get(`${requester.key} ${describeCheck(check)}`, () =>
          this.limit(() => this.accessReview(requester.user, check)),
        ),
    };
  }

  private async tokenReview(key: string, token: string): Promise<Requester | undefined> {
    const review = await this.authn
      .createTokenReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } } })
      .catch((err: unknown) => {
        // The Status of a failed review never holds the token; describeError shows only that.
        throw new ReviewUnavailableError(`TokenReview in the control cluster failed: ${describeError(err)}`);
      });
    const status = review.status;
    return status?.authenticated && status.user ? { key, user: status.user } : undefined;
  }

  private async accessReview(user: V1UserInfo, check: AccessCheck): Promise<boolean> {
    const spec: V1SubjectAccessReviewSpec = {
      user: user.username,
      uid: user.uid,
      groups: user.groups,
      extra: user.extra,
      ...('resource' in check ? { resourceAttributes: check.resource } : { nonResourceAttributes: check.nonResource }),
    };
    const review = await this.authz
      .createSubjectAccessReview({
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec },
      })
      .catch((err: unknown) => {
        throw new ReviewUnavailableError(
          `SubjectAccessReview (${describeCheck(check)}) in the control cluster failed: ${describeError(err)}`,
        );
      });
    return review.status?.allowed === true && review.status.denied !== true;
  }
}
