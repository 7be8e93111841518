// The lease store on DynamoDB: one item per lease name in a table keyed by `leaseName` (a string
// partition key), written only with conditional writes. The table is created (on-demand billing) when
// it is missing and the role may create it; if it may not, the error says how to create it by hand.
import {
  ConditionalCheckFailedException, CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand,
  UpdateItemCommand, waitUntilTableExists, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { StalledError } from '../core/errors.js';
import type { LeaseRecord, LeaseStore, LeaseWrite } from '../lease/lease-store.js';
import { reportAccessDenied, type MiddlewareClient } from './access-denied.js';
import { isNotFoundError } from './errors.js';

/** The table's partition key. */
export const LEASE_KEY = 'leaseName';

export interface DynamoLeaseStoreOptions {
  table: string;
  /** The region and shared config profile, as the other clients have them (default: the SDK's chain). */
  region?: string;
  profile?: string;
  /** Deadline of each request: a renewal must fail fast rather than outlive the lease. Default 3 s. */
  requestTimeoutMs?: number;
  /** Longest wait for a table just created to become ACTIVE. Default 120 s. */
  createTimeoutMs?: number;
}

/** The command that creates the table, for the README and the error that asks a user to run it. */
export function createTableCommand(table: string): string {
  return `aws dynamodb create-table --table-name ${table} --billing-mode PAY_PER_REQUEST `
    + `--attribute-definitions AttributeName=${LEASE_KEY},AttributeType=S --key-schema AttributeName=${LEASE_KEY},KeyType=HASH`;
}

// Every attribute goes through a placeholder: names such as `token` may be DynamoDB reserved words.
const NAMES = { '#holder': 'holder', '#token': 'token', '#expires': 'expiresAt', '#acquired': 'acquiredAt', '#renewed': 'renewedAt' };

export class DynamoLeaseStore implements LeaseStore {
  readonly description: string;
  private readonly client: DynamoDBClient;

  constructor(private readonly options: DynamoLeaseStoreOptions) {
    this.description = `DynamoDB table ${options.table}`;
    const timeout = options.requestTimeoutMs ?? 3_000;
    // The elector retries on its own schedule; one quick retry here covers a dropped connection.
    const region = options.region ?? (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined);
    this.client = new DynamoDBClient({
      maxAttempts: 2, requestHandler: { requestTimeout: timeout, connectionTimeout: Math.min(timeout, 2_000) },
      ...(region ? { region } : {}), ...(options.profile ? { profile: options.profile } : {}),
    });
    reportAccessDenied(this.client as unknown as MiddlewareClient);
  }

  async prepare(): Promise<void> {
    const { table } = this.options;
    try {
      const out = await this.client.send(new DescribeTableCommand({ TableName: table }));
      const key = out.Table?.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
      if (key !== LEASE_KEY) throw new Error(`the lease table ${table} has the partition key ${key ?? '(none)'}, not ${LEASE_KEY} (a string): use another table, or create it with: ${createTableCommand(table)}`);
      if (out.Table?.TableStatus !== 'ACTIVE') await this.waitActive();
      return;
    } catch (err) {
      if (err instanceof StalledError) throw new Error(`cannot read the lease table ${table}: ${err.message}; the role needs dynamodb:DescribeTable, GetItem, UpdateItem on it`);
      if (!isNotFoundError(err)) throw err;
    }
    try {
      await this.client.send(new CreateTableCommand({
        TableName: table, BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: LEASE_KEY, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: LEASE_KEY, KeyType: 'HASH' }],
      }));
    } catch (err) {
      if (err instanceof StalledError) {
        throw new Error(`the lease table ${table} does not exist and this role may not create it (${err.message}): create it with: ${createTableCommand(table)}`);
      }
      // Another operator created it at the same moment: as good as our own.
      if ((err as Error).name !== 'ResourceInUseException') throw err;
    }
    await this.waitActive();
  }

  async read(name: string): Promise<LeaseRecord | undefined> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.options.table, Key: key(name), ConsistentRead: true }));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  acquire(name: string, holder: string, now: number, durationMs: number): Promise<LeaseWrite> {
    // ADD starts a missing token at 0 + 1, and never resets it: a later term always has a higher token.
    return this.update(name, {
      UpdateExpression: 'SET #holder = :holder, #expires = :expires, #acquired = :now, #renewed = :now ADD #token :one',
      ConditionExpression: 'attribute_not_exists(#holder) OR #expires < :now OR #holder = :holder',
      ExpressionAttributeValues: { ':holder': { S: holder }, ':expires': num(now + durationMs), ':now': num(now), ':one': num(1) },
    });
  }

  renew(lease: LeaseRecord, now: number, durationMs: number): Promise<LeaseWrite> {
    return this.update(lease.name, {
      UpdateExpression: 'SET #expires = :expires, #renewed = :now',
      ConditionExpression: '#holder = :holder AND #token = :token',
      ExpressionAttributeValues: { ':holder': { S: lease.holder }, ':token': num(lease.token), ':expires': num(now + durationMs), ':now': num(now) },
    });
  }

  release(lease: LeaseRecord, now: number): Promise<LeaseWrite> {
    // Expiry 0 rather than a delete: the item, and so its token, stays for the next holder to increment.
    return this.update(lease.name, {
      UpdateExpression: 'SET #expires = :zero, #renewed = :now',
      ConditionExpression: '#holder = :holder AND #token = :token',
      ExpressionAttributeValues: { ':holder': { S: lease.holder }, ':token': num(lease.token), ':zero': num(0), ':now': num(now) },
    });
  }

  destroy(): void {
    this.client.destroy();
  }

  private async update(name: string, write: { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Record<string, AttributeValue> }): Promise<LeaseWrite> {
    const used = Object.fromEntries(Object.entries(NAMES).filter(([placeholder]) => `${write.UpdateExpression} ${write.ConditionExpression}`.includes(placeholder)));
    try {
      const out = await this.client.send(new UpdateItemCommand({
        TableName: this.options.table, Key: key(name), ...write, ExpressionAttributeNames: used,
        ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }));
      return { ok: true, lease: fromItem(out.Attributes ?? {}) };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return { ok: false, current: err.Item ? fromItem(err.Item) : undefined };
      throw err;
    }
  }

  private async waitActive(): Promise<void> {
    const maxWaitTime = Math.ceil((this.options.createTimeoutMs ?? 120_000) / 1000);
    await waitUntilTableExists({ client: this.client, maxWaitTime, minDelay: 1, maxDelay: 5 }, { TableName: this.options.table });
  }
}

function key(name: string): Record<string, AttributeValue> {
  return { [LEASE_KEY]: { S: name } };
}

function num(value: number): AttributeValue {
  return { N: String(value) };
}

function fromItem(item: Record<string, AttributeValue>): LeaseRecord {
  const n = (attribute: string) => Number(item[attribute]?.N ?? 0);
  const renewed = item.renewedAt?.N;
  return {
    name: item[LEASE_KEY]?.S ?? '', holder: item.holder?.S ?? '', token: n('token'), expiresAt: n('expiresAt'), acquiredAt: n('acquiredAt'),
    ...(renewed !== undefined ? { renewedAt: Number(renewed) } : {}),
  };
}
