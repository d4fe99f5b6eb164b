import { appNames } from '../app-ids'
import type { CertificateInfo } from '../certificate'
import { keyMatches } from '../key-credentials'
import type { ServicePrincipal, Targets } from '../ports'
import { quote } from '../script/quote'
import { type Check, check } from './checks'
import { applyFix, type DiagnoseOptions } from './context'

export async function entraCheck(
  targets: Targets,
  appId: string,
  current: CertificateInfo | null,
  next: CertificateInfo | null,
  certificates: { role: string; thumbprint: string }[],
  options: DiagnoseOptions,
): Promise<Check> {
  const name = appNames[appId] ?? appId
  const title = `Auth certificate uploaded to the service principal of ${name}`
  let sp: ServicePrincipal | null
  try {
    sp = await targets.entra.getServicePrincipal(appId)
  } catch (error) {
    return check(
      `entra.${appId}`,
      title,
      'fail',
      [`could not read: ${(error as Error).message}`],
      'check the Graph permissions (Application.ReadWrite.All)',
    )
  }
  if (!sp)
    return check(
      `entra.${appId}`,
      title,
      'fail',
      [`no service principal for ${appId}`],
      `New-MgServicePrincipal -AppId ${quote(appId)} (with an administrator's consent), then ${applyFix(options)}`,
    )
  const has = (c: CertificateInfo | null) =>
    Boolean(c && sp.keyCredentials.some((k) => keyMatches(k, c.thumbprint) && k.usage === 'Verify'))
  const evidence = [`${sp.keyCredentials.length} key(s)`]
  if (current) evidence.push(`current ${current.thumbprint}: ${has(current) ? 'uploaded' : 'not uploaded'}`)
  if (next) evidence.push(`next ${next.thumbprint}: ${has(next) ? 'uploaded' : 'not uploaded'}`)
  const previous = certificates.find((c) => c.role === 'previous')
  const previousUploaded = previous && sp.keyCredentials.some((k) => keyMatches(k, previous.thumbprint))
  if (!current)
    return check(
      `entra.${appId}`,
      title,
      'fail',
      [...evidence, 'no current auth certificate to compare'],
      applyFix(options),
    )
  if (!has(current))
    return check(
      `entra.${appId}`,
      title,
      'fail',
      evidence,
      applyFix(options),
      previousUploaded
        ? `The auth certificate was renewed but not re-uploaded: the previous ${previous.thumbprint} is there, the current ${current.thumbprint} is not. Nothing else uploads it; the integration stopped working silently.`
        : `${name} cannot verify Exchange's tokens until the certificate is one of its keys.`,
    )
  if (next && !has(next))
    return check(
      `entra.${appId}`,
      title,
      'warn',
      evidence,
      applyFix(options),
      `The renewed certificate ${next.thumbprint} is not uploaded; when it takes effect the integration stops working silently. Upload it now.`,
    )
  return check(`entra.${appId}`, title, 'pass', evidence)
}
