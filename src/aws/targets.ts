// The credentials and Region of an AWS target: the operator's own (the SDK's standard chain, or a
// profile), or a role assumed from them (STS AssumeRole, with an external id when the role's trust
// policy asks for one). The SDK refreshes the role's temporary credentials before they expire.
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';

/** A provider of credentials, as the SDK's clients take it. */
export type CredentialProvider = ReturnType<typeof fromTemporaryCredentials>;

/** Where a client works: absent members are the operator's own. */
export interface TargetAccess {
  region?: string;
  /** A role to assume (in another account, or a narrower one in the same). */
  roleArn?: string;
  externalId?: string;
  /** The shared config profile of the operator's own credentials. */
  profile?: string;
}

/** The session name AssumeRole records (CloudTrail shows it): who assumed the role. */
export const ROLE_SESSION_NAME = 'ecs-operator';

/**
 * The credentials of a target: undefined for the operator's own (the client resolves them itself),
 * else the assumed role's, obtained with the operator's own (a profile's when given). STS is asked
 * in the target's Region, or the operator's.
 */
export function targetCredentials(access: TargetAccess): CredentialProvider | undefined {
  if (!access.roleArn) return undefined;
  const region = access.region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined);
  return fromTemporaryCredentials({
    params: { RoleArn: access.roleArn, RoleSessionName: ROLE_SESSION_NAME, ...(access.externalId ? { ExternalId: access.externalId } : {}) },
    clientConfig: { ...(region ? { region } : {}), ...(access.profile ? { profile: access.profile } : {}) },
  });
}

/** The client configuration of a target: its Region, profile and credentials, each only when given. */
export function targetConfig(access: TargetAccess): { region?: string; profile?: string; credentials?: CredentialProvider } {
  const credentials = targetCredentials(access);
  return {
    ...(access.region ? { region: access.region } : {}),
    ...(access.profile && !credentials ? { profile: access.profile } : {}),
    ...(credentials ? { credentials } : {}),
  };
}
