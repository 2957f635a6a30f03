// Routing rules: JSONata predicates over canonical objects choose destinations. Predicates are
// compiled once at start-up; a route without `when` matches everything.
import jsonata from 'jsonata';
import { ConfigError } from '../canonical-model/errors.js';
import { RouteEvaluationError } from './errors.js';

export interface RouteConfig {
  name: string;
  when?: string;
  to: string[];
  /** BullMQ priority of the deliveries (1 is the highest); unset = ordinary FIFO. */
  priority?: number;
}

export type RoutingMode = 'first-match' | 'fan-out';

export interface RouteDecision {
  destinations: string[];
  routes: string[];
  priority?: number;
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

  /** Destinations for one canonical object, in route order without repeats. */
  async decide(object: unknown): Promise<RouteDecision> {
    const decision: RouteDecision = { destinations: [], routes: [] };
    for (const route of this.routes) {
      if (!(await this.matches(route, object))) continue;
      decision.routes.push(route.name);
      for (const d of route.to) if (!decision.destinations.includes(d)) decision.destinations.push(d);
      if (route.priority !== undefined) decision.priority = Math.min(decision.priority ?? Infinity, route.priority);
      if (this.mode === 'first-match') break;
    }
    return decision;
  }

  private async matches(route: CompiledRoute, object: unknown): Promise<boolean> {
    if (!route.predicate) return true;
    try {
      const result: unknown = await route.predicate.evaluate(object);
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
