// Service health from what DescribeServices says about its deployments (DESIGN.md "Reconcile behaviour
// per kind"): Progressing until the PRIMARY deployment's rollout is COMPLETED and no other deployment
// is still running; Degraded when a rollout FAILED, the circuit breaker rolled back, or fewer tasks
// run than desired after a completed rollout.
import type { JsonObject } from '../../core/types.js';
import type { Assessment } from '../../runtime/kind-handler.js';

interface Deployment {
  id?: string;
  status?: string;
  taskDefinition?: string;
  desiredCount?: number;
  runningCount?: number;
  rolloutState?: string;
  rolloutStateReason?: string;
}

function deploymentsOf(live: JsonObject): Deployment[] {
  return Array.isArray(live.deployments) ? (live.deployments as Deployment[]) : [];
}

const revisionOf = (arn: string | undefined) => (arn ? arn.slice(arn.lastIndexOf('/') + 1) : 'unknown');

export function assessService(live: JsonObject): Assessment {
  if (live.status === 'DRAINING') return { health: 'Progressing', message: 'service is draining' };
  const deployments = deploymentsOf(live);
  const desired = Number(live.desiredCount ?? 0);
  const running = Number(live.runningCount ?? 0);
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const failed = deployments.find((d) => d.rolloutState === 'FAILED');
  if (failed) {
    const rolledBack = primary && primary !== failed ? `; rolled back to ${revisionOf(primary.taskDefinition)}` : '';
    return {
      health: 'Degraded',
      message: `rollout of ${revisionOf(failed.taskDefinition)} failed: ${failed.rolloutStateReason ?? 'no reason given'}${rolledBack}`,
      rolloutFailed: true,
    };
  }
  if (primary?.rolloutState === 'IN_PROGRESS') {
    return {
      health: 'Progressing',
      message: `rollout of ${revisionOf(primary.taskDefinition)} in progress: ${primary.runningCount ?? 0}/${primary.desiredCount ?? desired} tasks running`,
    };
  }
  const others = deployments.filter((d) => d !== primary && d.status === 'ACTIVE' && (d.runningCount ?? 0) > 0);
  if (others.length > 0) {
    const tasks = others.reduce((n, d) => n + (d.runningCount ?? 0), 0);
    return { health: 'Progressing', message: `${tasks} task(s) of a previous deployment still running` };
  }
  if (running < desired) {
    // Without a PRIMARY rollout state (EXTERNAL or CODE_DEPLOY controllers), tasks may still be starting.
    const health = primary?.rolloutState === 'COMPLETED' ? 'Degraded' : 'Progressing';
    return { health, message: `running ${running} of ${desired} desired tasks` };
  }
  return { health: 'Healthy', message: `${running}/${desired} tasks running` };
}
