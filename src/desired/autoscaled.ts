// Which Service each ServiceAutoScaling scales, for the controller: an autoscaled service's desiredCount
// belongs to Application Auto Scaling, so it is never sent on update nor reported as drift.
import { resourceKey, type DesiredState, type ResourceKey } from '../core/types.js';
import { scaledServiceName } from '../kinds/service-auto-scaling/manifest.js';

/** Service key -> the ServiceAutoScaling key that scales it, for every ServiceAutoScaling of the state. */
export function autoscaledServices(state: DesiredState): Map<ResourceKey, ResourceKey> {
  const scaled = new Map<ResourceKey, ResourceKey>();
  for (const resource of state.resources.values()) {
    if (resource.kind !== 'ServiceAutoScaling') continue;
    const service = scaledServiceName(resource.manifest.spec);
    if (service !== undefined) scaled.set(resourceKey('Service', service), resource.key);
  }
  return scaled;
}
