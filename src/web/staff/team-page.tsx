import { OPERATOR_ROLES, type TeamMember } from '../../app/admin/team.ts';
import type { ServiceCenter } from '../../app/operators/operator-profile.ts';
import { formatDateTime, type MessageKey } from '../../i18n/translate.ts';
import { CsrfField } from '../shared/form.tsx';
import { Check, Choice, Input } from './settings-controls.tsx';
import { type Page, SettingsLayout, type Values } from './settings-pages.tsx';

/** The operator's staff: each member's roles, center and access in a form of its own, and the form to add one. */
export function TeamPage(
  page: Page & {
    members: TeamMember[];
    centers: ServiceCenter[];
    values: Values & { roles?: string };
    created: { email: string; password: string } | null;
  },
) {
  const { ctx, staff, errors, values, members, centers, created } = page;
  const { t, locale } = ctx;
  const zone = ctx.operator?.timeZone ?? 'Europe/Moscow';
  const centerOptions: [string, string][] = [
    ['', t('admin.team.noCenter')],
    ...centers.map((c): [string, string] => [c.id, `${c.code} · ${c.name[locale] ?? c.name.ru}`]),
  ];
  const roleBoxes = (prefix: string, chosen: string[]) => (
    <fieldset class="field">
      <legend>{t('admin.team.roles')}</legend>
      {OPERATOR_ROLES.map((role) => (
        <div class="radio" key={role}>
          <input type="checkbox" id={`${prefix}-${role}`} name="roles" value={role} checked={chosen.includes(role)} />
          <label for={`${prefix}-${role}`}>{t(`staff.role.${role}` as MessageKey)}</label>
        </div>
      ))}
    </fieldset>
  );
  return (
    <SettingsLayout {...page} title={t('admin.team.title')}>
      {created && (
        <div class="notice" role="status">
          <p>{t('admin.team.invited', { email: created.email })}</p>
          <p>
            {t('admin.team.firstPassword')} <code>{created.password}</code>
          </p>
        </div>
      )}
      <ul class="lines">
        {members.map((m) => (
          <li key={m.id} class="line-card">
            <h2 class="card-title">{m.fullName}</h2>
            <p class="breakable">{m.email}</p>
            <p>
              {m.active ? t('admin.team.active') : t('admin.team.inactive')} ·{' '}
              {m.enrolled ? t('admin.team.enrolled') : t('admin.team.notEnrolled')}
              {m.lastLoginAt && ` · ${t('admin.team.lastLogin')} ${formatDateTime(locale, m.lastLoginAt, zone)}`}
            </p>
            <form method="post" action={`/staff/team/${m.id}`}>
              <CsrfField token={staff.csrfToken} />
              {roleBoxes(m.id, m.roles)}
              <Choice
                ctx={ctx}
                name="centerId"
                label={t('admin.team.center')}
                errors={{}}
                id={`centerId-${m.id}`}
                value={m.centerId ?? ''}
                options={centerOptions}
              />
              <Check
                ctx={ctx}
                name="active"
                label={t('admin.team.maySignIn')}
                errors={{}}
                id={`active-${m.id}`}
                checked={m.active}
              />
              <button type="submit" class="button secondary">
                {t('admin.save')}
              </button>
            </form>
            <form method="post" action={`/staff/team/${m.id}/reset-totp`}>
              <CsrfField token={staff.csrfToken} />
              <button type="submit" class="button secondary">
                {t('admin.team.resetTotp')}
              </button>
            </form>
            <form method="post" action={`/staff/team/${m.id}/unlock`}>
              <CsrfField token={staff.csrfToken} />
              <button type="submit" class="button secondary">
                {t('admin.team.unlock')}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <h2>{t('admin.team.invite')}</h2>
      <form method="post" action="/staff/team" novalidate>
        <CsrfField token={staff.csrfToken} />
        <Input
          ctx={ctx}
          name="fullName"
          label={t('admin.team.fullName')}
          errors={errors}
          value={values.fullName ?? ''}
        />
        <Input ctx={ctx} name="email" label={t('admin.team.email')} errors={errors} value={values.email ?? ''} />
        {errors.roles && <p class="error">{t(errors.roles as MessageKey)}</p>}
        {roleBoxes('invite', (values.roles ?? '').split(','))}
        <Choice
          ctx={ctx}
          name="centerId"
          label={t('admin.team.center')}
          errors={errors}
          value={values.centerId ?? ''}
          options={centerOptions}
        />
        <button type="submit" class="button">
          {t('admin.team.invite')}
        </button>
      </form>
    </SettingsLayout>
  );
}
