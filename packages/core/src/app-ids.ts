/** Microsoft's first-party applications this project configures (domain/procedures.md). */
export const appIds = {
  skypeForBusinessOnline: '00000004-0000-0ff1-ce00-000000000000',
  teamsScheduler: '7557eb47-c689-4224-abcf-aef9bd7573df',
  cloudVoicemail: 'db7de2b5-2149-435e-8043-e080dd50afae',
  exchangeOnline: '00000002-0000-0ff1-ce00-000000000000',
} as const

export const appNames: Record<string, string> = {
  [appIds.skypeForBusinessOnline]: 'Skype for Business Online',
  [appIds.teamsScheduler]: 'Teams Calendar Scheduler',
  [appIds.cloudVoicemail]: 'Cloud Voicemail',
  [appIds.exchangeOnline]: 'Office 365 Exchange Online',
}
