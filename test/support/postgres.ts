/** The databases PostgreSQL test databases are created from: migrated, and migrated plus demo data. */
export const TEMPLATES = { empty: 'simdesk_test_template', seeded: 'simdesk_test_seeded' } as const;
export type TemplateKind = keyof typeof TEMPLATES;

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The maintenance database on the same server, for CREATE/DROP DATABASE. */
export const adminUrl = (url: string) => withDatabase(url, 'postgres');
