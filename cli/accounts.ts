// tthc accounts create --unit CODE --email ADDR [--admin] | tthc accounts sync [--json]: one
// portal account per unit clerk, username = unit code, `custom:unit_code` = the unit. In AWS
// (TTHC_USER_POOL_ID set, AWS credentials) Cognito mails the invitation with a temporary
// password; locally the account goes to the local pool (no mail).
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient,
  ListUsersCommand, type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN_GROUP, UNIT_ATTRIBUTE, cognitoClient, ensurePortalPool, startLocalCognito } from '../infra/local/cognito.ts';
import { startLocalPipeline } from '../infra/local/runner.ts';
import { planFromEnv, periodsFromEnv } from '../functions/commons/deps.ts';
import { lastClosedPeriod } from '../shared/period.ts';
import { isEmailAddress } from '../shared/units/unit.ts';
import { ArgError, parseCommand, required } from './args.ts';

export interface AccountSpec {
  username: string;
  /** The unit the account reports for; null for an administrator without a unit. */
  unit: string | null;
  email?: string | null;
  admin?: boolean;
  /** Local pool: the password set (confirmed, no invitation) when the account is created. Omitted: Cognito mails an invitation. */
  password?: string;
}

/** Lists every username in the pool (paginated). */
export async function poolUsernames(client: CognitoIdentityProviderClient, userPoolId: string): Promise<Set<string>> {
  const names = new Set<string>();
  let token: string | undefined;
  do {
    const page = await client.send(new ListUsersCommand({ UserPoolId: userPoolId, PaginationToken: token, Limit: 60 }));
    for (const u of page.Users ?? ([] as UserType[])) if (u.Username) names.add(u.Username);
    token = page.PaginationToken;
  } while (token);
  return names;
}

/** Creates the account unless `existing` has it (then it is left as it is). */
export async function ensureAccount(
  client: CognitoIdentityProviderClient, userPoolId: string, spec: AccountSpec, existing: Set<string>,
): Promise<'created' | 'exists'> {
  const created = !existing.has(spec.username);
  if (created) {
    const attributes = [
      ...(spec.unit ? [{ Name: UNIT_ATTRIBUTE, Value: spec.unit }] : []),
      ...(spec.email ? [{ Name: 'email', Value: spec.email }, { Name: 'email_verified', Value: 'true' }] : []),
    ];
    await client.send(new AdminCreateUserCommand({
      UserPoolId: userPoolId, Username: spec.username, UserAttributes: attributes,
      ...(spec.password ? { MessageAction: 'SUPPRESS' as const } : { DesiredDeliveryMediums: ['EMAIL' as const] }),
    }));
    if (spec.password) {
      await client.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: spec.username, Password: spec.password, Permanent: true }));
    }
    if (spec.admin) await client.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: spec.username, GroupName: ADMIN_GROUP }));
    existing.add(spec.username);
  }
  return created ? 'created' : 'exists';
}

export const ACCOUNTS_HELP = `tthc accounts create --unit CODE --email ADDR [--admin] [--json]
tthc accounts sync [--json]

Tài khoản của cổng gửi báo cáo: tên đăng nhập là mã đơn vị, thuộc tính custom:unit_code là đơn
vị. Với TTHC_USER_POOL_ID (và thông tin xác thực AWS), tạo trong user pool Cognito thật và
Cognito gửi thư mời kèm mật khẩu tạm; không có thì tạo trong user pool cục bộ.

  create         Tạo tài khoản cho một đơn vị (--admin: thêm vào nhóm quản trị)
  sync           Tạo các tài khoản còn thiếu từ contact_email của danh mục đơn vị
  --json         Một dòng JSON: {"created","existing","no_contact"}
  -h, --help     Hướng dẫn này
`;

export async function accountsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h') {
    process.stdout.write(ACCOUNTS_HELP);
    return 0;
  }
  if (sub !== 'create' && sub !== 'sync') throw new ArgError('cần lệnh con: tthc accounts create --unit CODE --email ADDR [--admin] | tthc accounts sync [--json]');
  const parsed = parseCommand({
    name: `tthc accounts ${sub}`, help: ACCOUNTS_HELP,
    options: { unit: { type: 'string' }, email: { type: 'string' }, admin: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  }, rest);
  if (!parsed) return 0;
  const { values } = parsed;
  if (sub === 'create') {
    required(values.unit, '--unit', 'mã đơn vị');
    if (!isEmailAddress(required(values.email, '--email', 'địa chỉ nhận thư mời'))) throw new ArgError(`--email: "${values.email}" không phải địa chỉ thư hợp lệ`);
  }

  // The registry says which units are in force and their contact addresses.
  const pipeline = await startLocalPipeline();
  const aws = process.env.TTHC_USER_POOL_ID;
  const cognito = aws ? null : await startLocalCognito(pipeline.home);
  try {
    const userPoolId = aws ?? (await ensurePortalPool(cognito!.endpoint)).userPoolId;
    const client = aws ? new CognitoIdentityProviderClient({}) : cognitoClient(cognito!.endpoint);
    const existing = await poolUsernames(client, userPoolId);
    const registry = (await planFromEnv()).registryFor(lastClosedPeriod(new Date(), periodsFromEnv()));
    const specs: AccountSpec[] = [];
    if (sub === 'create') {
      const unit = registry.get(values.unit!);
      if (!unit && !values.admin) throw new Error(`${values.unit} không phải đơn vị đang hoạt động trong danh mục`);
      specs.push({ username: unit?.code ?? values.unit!, unit: unit?.code ?? null, email: values.email, admin: values.admin });
    } else {
      for (const u of registry.units) if (u.contactEmail) specs.push({ username: u.code, unit: u.code, email: u.contactEmail });
    }
    const result = { created: [] as string[], existing: [] as string[], no_contact: sub === 'sync' ? registry.units.filter((u) => !u.contactEmail).map((u) => u.code) : [] };
    for (const spec of specs) {
      if ((await ensureAccount(client, userPoolId, spec, existing)) === 'created') result.created.push(spec.username);
      else result.existing.push(spec.username);
    }
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(`Đã tạo ${result.created.length} tài khoản${aws ? ' (Cognito đã gửi thư mời)' : ''}; ${result.existing.length} đã có sẵn.\n`);
      // An account that exists keeps its address: say so rather than seem to take the new one.
      if (sub === 'create' && result.existing.length) process.stdout.write(`Tài khoản ${result.existing[0]} đã có: giữ nguyên, địa chỉ thư không đổi thành ${values.email}.\n`);
      if (result.no_contact.length) process.stdout.write(`${result.no_contact.length} đơn vị chưa có contact_email trong danh mục: ${result.no_contact.join(', ')}\n`);
    }
    client.destroy();
    return 0;
  } finally {
    await cognito?.stop();
    await pipeline.stack.stop();
  }
}
