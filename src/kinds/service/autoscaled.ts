// Which Service each ServiceAutoScaling scales. An autoscaled service's desiredCount belongs to
// Application Auto Scaling: the Service kind neither sends it on update nor reports it as drift, and
// asks this map on every pass, so it is worked out once per desired state.
import { resourceKey, type DesiredState, type ResourceKey } from '../../core/types.js';
import { scaledServiceName } from '../service-auto-scaling/manifest.js';

const computed = new WeakMap<DesiredState, ReadonlyMap<ResourceKey, ResourceKey>>();

/** Service key -> the ServiceAutoScaling key that scales it, for every ServiceAutoScaling of the state. */
export function autoscaledServices(state: DesiredState): ReadonlyMap<ResourceKey, ResourceKey> {
  let scaled = computed.get(state);
  if (!scaled) {
    const map = new Map<ResourceKey, ResourceKey>();
    for (const resource of state.resources.values()) {
      if (resource.kind !== 'ServiceAutoScaling') continue;
      const service = scaledServiceName(resource.manifest.spec);
      if (service !== undefined) map.set(resourceKey('Service', service), resource.key);
    }
    computed.set(state, map);
    scaled = map;
  }
  return scaled;
}
