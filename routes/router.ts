// Routing rules: JSONata predicates over canonical objects choose destinations. Predicates are
// compiled once at start-up; a route without `when` matches everything. A route may require what a
// claim must have before it is sent (`requires`); a claim it matches without it is held, not routed.
import jsonata from 'jsonata';
import type { Claim } from '../canonical-model/types.js';
import { ConfigError } from '../canonical-model/errors.js';
import { authorizationOf, type AuthorizationSource, type AuthorizationStore } from './authorization.js';
import { RouteEvaluationError } from './errors.js';

/** What a route may require of a claim; `priorAuthorization`: see routes/authorization.ts. */
export const ROUTE_REQUIREMENTS = ['priorAuthorization'] as const;
export type RouteRequirement = (typeof ROUTE_REQUIREMENTS)[number];

export interface RouteConfig {
  name: string;
  when?: string;
  to: string[];
  /** BullMQ priority of the deliveries (1 is the highest); unset = ordinary FIFO. */
  priority?: number;
  /** Claims this route matches are sent only when they have these; otherwise they are held. */
  requires?: RouteRequirement[];
}

export type RoutingMode = 'first-match' | 'fan-out';

export interface RouteDecision {
  destinations: string[];
  routes: string[];
  priority?: number;
  /** Routes that matched a claim lacking what they require: the claim is held (present only then). */
  held?: { route: string; missing: RouteRequirement[] }[];
  /** The authorization found for a route that requires one (lineage; a stored one's number goes on the claim). */
  authorization?: AuthorizationSource;
}

interface CompiledRoute extends RouteConfig {
  predicate?: jsonata.Expression;
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(
    routes: RouteConfig[],
    private readonly mode: RoutingMode,
    knownDestinations: Set<string>,
    /** The store's authorizations and held claims; without it only numbers a claim quotes count. */
    readonly authorizations?: AuthorizationStore,
  ) {
    this.routes = routes.map((route, index) => {
      for (const destination of route.to) {
        if (!knownDestinations.has(destination)) {
          throw new ConfigError(`route "${route.name}" sends to unknown destination "${destination}"`, [
            {
              path: `routes[${index}].to`,
              rule: 'destination-exists',
              message: `known destinations: ${[...knownDestinations].join(', ')}`,
            },
          ]);
        }
      }
      if (route.when === undefined) return { ...route };
      try {
        return { ...route, predicate: jsonata(route.when) };
      } catch (error) {
        const { message, position } = error as { message: string; position?: number };
        throw new ConfigError(`route "${route.name}": JSONata syntax error in "when"`, [
          {
            path: `routes[${index}].when`,
            rule: 'jsonata-syntax',
            message: `${message}${position === undefined ? '' : ` at position ${position}`}`,
          },
        ]);
      }
    });
  }

  /**
   * Destinations for one canonical object, in route order without repeats. A matched route whose
   * requirement a claim lacks adds no destination and a hold; in first-match mode it still ends the
   * search (a held claim never falls through to a catch-all).
   */
  async decide(object: unknown): Promise<RouteDecision> {
    const decision: RouteDecision = { destinations: [], routes: [] };
    const claim = isClaim(object) ? object : undefined;
    const lookups = new Map<boolean, Promise<AuthorizationSource | undefined>>();
    const authorization = (override: boolean) => {
      if (!claim) return Promise.resolve(undefined);
      let found = lookups.get(override);
      if (!found) lookups.set(override, (found = authorizationOf(claim, this.authorizations, override)));
      return found;
    };
    const functions = { hasApprovedAuthorization: async () => (await authorization(false)) !== undefined };
    for (const route of this.routes) {
      if (!(await this.matches(route, object, functions))) continue;
      const missing = claim ? await this.missing(route, authorization) : [];
      if (missing.length > 0) {
        (decision.held ??= []).push({ route: route.name, missing });
        if (this.mode === 'first-match') break;
        continue;
      }
      if (route.requires?.length && claim) decision.authorization = await authorization(true);
      decision.routes.push(route.name);
      for (const d of route.to) if (!decision.destinations.includes(d)) decision.destinations.push(d);
      if (route.priority !== undefined) decision.priority = Math.min(decision.priority ?? Infinity, route.priority);
      if (this.mode === 'first-match') break;
    }
    return decision;
  }

  private async missing(route: CompiledRoute, authorization: (override: boolean) => Promise<AuthorizationSource | undefined>): Promise<RouteRequirement[]> {
    const missing: RouteRequirement[] = [];
    for (const requirement of route.requires ?? []) {
      if (requirement === 'priorAuthorization' && !(await authorization(true))) missing.push(requirement);
    }
    return missing;
  }

  private async matches(route: CompiledRoute, object: unknown, functions: Record<string, () => Promise<boolean>>): Promise<boolean> {
    if (!route.predicate) return true;
    try {
      const result: unknown = await route.predicate.evaluate(object, functions);
      return result === true;
    } catch (error) {
      throw new RouteEvaluationError(
        `route "${route.name}" failed to evaluate`,
        [{ path: 'when', rule: 'jsonata-evaluation', message: (error as Error).message }],
        { cause: error },
      );
    }
  }
}

function isClaim(object: unknown): object is Claim {
  return typeof object === 'object' && object !== null && (object as { resourceType?: unknown }).resourceType === 'Claim' && Array.isArray((object as Claim).serviceLines);
}
