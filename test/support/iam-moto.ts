// moto with its IAM enforcement on, and the operator behind the enforcing policy proxy:
//   operator -> policy proxy (evaluator: resources, tags, conditions) -> AAS tag proxy -> moto (actions).
// moto authorizes every call after its first INITIAL_NO_AUTH_ACTION_COUNT ones (moto/core/
// authorization.py): it checks the SigV4 signature against the caller's access key and matches
// `<signing service>:<operation>` against the caller's policies, always on resource "*", ignoring
// conditions (moto/iam/access_control.py). The unauthenticated calls create two users: an
// administrator for the test's own reads and writes, and the operator with deploy/iam-policy.json.
import { readFileSync } from 'node:fs';
import {
  CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { ECSClient, ListTagsForResourceCommand } from '@aws-sdk/client-ecs';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand, ServiceNamespace, ScalableDimension } from '@aws-sdk/client-application-auto-scaling';
import { startMoto, type MotoServer } from '../../src/tools/moto-server.js';
import { startAasTagProxy, type AasTagProxy } from '../../src/tools/aas-tags.js';
import type { PolicyDocument } from './iam-policy.js';
import type { TagLookup } from './iam-requests.js';
import { startPolicyProxy, type PolicyProxy } from './policy-proxy.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const OPERATOR_POLICY = JSON.parse(readFileSync(new URL('../../deploy/iam-policy.json', import.meta.url), 'utf8')) as PolicyDocument;
const ADMIN_POLICY: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** CreateUser, PutUserPolicy and CreateAccessKey for each of the two users. */
const SETUP_CALLS = 6;

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface EnforcedAws {
  moto: MotoServer;
  tags: AasTagProxy;
  proxy: PolicyProxy;
  admin: Credentials;
  operator: Credentials;
  /** Environment for a process that talks to AWS as the operator, through the policy proxy. */
  operatorEnv: Record<string, string>;
  /** Environment for the test's own SDK clients: the administrator, straight to moto. */
  adminEnv: Record<string, string>;
  /** A new user with this policy, made by the administrator. */
  createUser(name: string, policy: PolicyDocument): Promise<Credentials>;
  stop(): Promise<void>;
}

async function createUser(iam: IAMClient, name: string, policy: PolicyDocument): Promise<Credentials> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: name, PolicyDocument: JSON.stringify(policy) }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

const env = (endpoint: string, c: Credentials) => ({
  AWS_ENDPOINT_URL: endpoint, AWS_REGION: REGION, AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
});

/** Reads of tags and target ARNs for the evaluator, as the administrator. */
function tagLookup(endpoint: string, admin: Credentials, tags: AasTagProxy['tags']): TagLookup & { destroy(): void } {
  const config = { endpoint, region: REGION, credentials: admin };
  const ecs = new ECSClient(config);
  const aas = new ApplicationAutoScalingClient(config);
  return {
    destroy() {
      ecs.destroy();
      aas.destroy();
    },
    async ecsTags(arn) {
      try {
        const out = await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
        return Object.fromEntries((out.tags ?? []).map((t) => [t.key!, t.value ?? '']));
      } catch {
        return undefined;
      }
    },
    async scalableTarget(namespace, resourceId, dimension) {
      const out = await aas.send(new DescribeScalableTargetsCommand({
        ServiceNamespace: namespace as ServiceNamespace, ResourceIds: [resourceId], ScalableDimension: dimension as ScalableDimension,
      }));
      const arn = out.ScalableTargets?.[0]?.ScalableTargetARN;
      return arn ? { arn, tags: tags.get(arn) ?? {} } : undefined;
    },
    aasTags: async (arn) => tags.get(arn),
  };
}

/** Starts moto enforcing IAM, creates the two users, and puts the policy proxy in front. */
export async function startEnforcedAws(extraEnv: Record<string, string> = {}): Promise<EnforcedAws> {
  const moto = await startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: String(SETUP_CALLS), ...extraEnv } });
  const anonymous = new IAMClient({ endpoint: moto.endpoint, region: REGION, credentials: { accessKeyId: 'setup', secretAccessKey: 'setup' } });
  const admin = await createUser(anonymous, 'admin', ADMIN_POLICY);
  const operator = await createUser(anonymous, 'ecs-operator', OPERATOR_POLICY);
  anonymous.destroy();
  const tags = await startAasTagProxy(moto.endpoint);
  const lookup = tagLookup(moto.endpoint, admin, tags.tags);
  const proxy = await startPolicyProxy({ upstream: tags.endpoint, policy: OPERATOR_POLICY, lookup, account: ACCOUNT });
  const iam = new IAMClient({ endpoint: moto.endpoint, region: REGION, credentials: admin });
  return {
    moto, tags, proxy, admin, operator,
    operatorEnv: env(proxy.endpoint, operator),
    adminEnv: env(moto.endpoint, admin),
    createUser: (name, policy) => createUser(iam, name, policy),
    async stop() {
      iam.destroy();
      lookup.destroy();
      await proxy.stop();
      await tags.stop();
      await moto.stop();
    },
  };
}
