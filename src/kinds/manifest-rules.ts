// The registry the manifest loader reads each kind's rules from: one entry per kind, nothing else.
import type { Kind } from '../core/types.js';
import type { KindRules } from '../desired/kind-rules.js';
import { clusterManifest } from './cluster/manifest.js';
import { serviceAutoScalingManifest } from './service-auto-scaling/manifest.js';
import { serviceManifest } from './service/manifest.js';
import { taskDefinitionManifest } from './task-definition/manifest.js';

export const MANIFEST_RULES: Readonly<Record<Kind, KindRules>> = {
  Cluster: clusterManifest,
  TaskDefinition: taskDefinitionManifest,
  Service: serviceManifest,
  ServiceAutoScaling: serviceAutoScalingManifest,
};
