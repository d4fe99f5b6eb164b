import { appIds } from '../app-ids'
import type { partnerApplicationObject } from '../exchange-objects'
import { cloudSupportNote, graphTarget } from '../graph-cloud'
import { type Check, check } from './checks'
import { applyFix, type DiagnoseOptions } from './context'

type PartnerApplication = ReturnType<typeof partnerApplicationObject.parse>

/**
 * Health Checker's Red rule (Invoke-AnalyzerHybridInformation): the legacy Skype for Business Online
 * app is enabled while neither TeamsScheduler nor CloudVoicemail is enabled.
 */
export function legacyOnlyCheck(
  byAppId: (appId: string) => PartnerApplication | undefined,
  options: DiagnoseOptions,
): Check {
  const state = (app: PartnerApplication | undefined, name: string) =>
    app ? `${app.Name}: ${app.Enabled ? 'enabled' : 'disabled'}` : `${name}: absent`
  const legacy = byAppId(appIds.skypeForBusinessOnline)
  const scheduler = byAppId(appIds.teamsScheduler)
  const voicemail = byAppId(appIds.cloudVoicemail)
  const red = Boolean(legacy?.Enabled) && !scheduler?.Enabled && !voicemail?.Enabled
  return check(
    'partnerApplication.legacyOnly',
    'Not only the legacy Skype for Business Online partner application (enabled TeamsScheduler or CloudVoicemail)',
    red ? 'fail' : 'pass',
    [
      state(legacy, 'legacy SfBOnline'),
      state(scheduler, 'TeamsScheduler'),
      state(voicemail, 'CloudVoicemail'),
    ],
    applyFix(options, 'teams'),
    "Exchange's Health Checker rates this Red since October 2025: Teams now calls with the Teams Calendar Scheduler and Cloud Voicemail apps, and they must be enabled (keep the legacy app; voicemail greetings still use it).",
  )
}

/** GCC High, DoD and China: Microsoft's support for this feature there, when --graph-url names such a cloud. */
export function cloudCheck(options: DiagnoseOptions): Check | null {
  if (!options.graphUrl) return null
  const { cloud } = graphTarget(options.graphUrl)
  const note = cloudSupportNote(cloud)
  return check(
    'cloud.support',
    `Microsoft supports the feature in ${cloud.label}`,
    note ? 'warn' : 'pass',
    [`Graph: ${cloud.host}`],
    'No command fixes this: it is a limit of the service (see "How Exchange and Microsoft Teams interact").',
    note,
  )
}
