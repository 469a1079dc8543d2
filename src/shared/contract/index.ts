import type { z } from 'zod';
import { accountChannels } from './accounts';
import { callChannels } from './call';
import { connectionChannels } from './connection';
import type { ChannelSpec } from './define';
import { deskChannels } from './desk';
import { dialogChannels } from './dialog';
import { reportChannels } from './report';
import { runChannels } from './run';
import { snapshotChannels } from './snapshot';
import { syncChannels } from './sync';
import { tenderSettingsChannels } from './tender-settings';
import { uiChannels } from './ui';
import { workspaceChannels } from './workspace';
import { workspaceSwitchChannels } from './workspaces';

/**
 * The one contract shared by main, preload and renderer. Each domain adds its channels in its
 * own file and spreads them here; channel names are `domain:verb`.
 */
export const contract = {
  ...callChannels,
  ...workspaceChannels,
  ...runChannels,
  ...snapshotChannels,
  ...syncChannels,
  ...connectionChannels,
  ...reportChannels,
  ...uiChannels,
  ...dialogChannels,
  ...accountChannels,
  ...workspaceSwitchChannels,
  ...deskChannels,
  ...tenderSettingsChannels,
} satisfies Record<string, ChannelSpec>;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export type ChannelInput<C extends ChannelName> = z.input<Contract[C]['input']>;
export type ChannelParsedInput<C extends ChannelName> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Contract[C]['output']>;

export const CHANNEL_NAMES = Object.keys(contract) as ChannelName[];

export * from './accounts';
export * from './call';
export * from './connection';
export * from './define';
export * from './desk';
export * from './dialog';
export * from './events';
export * from './report';
export * from './run';
export * from './snapshot';
export * from './sync';
export * from './tender-settings';
export * from './ui';
export * from './workspace';
export * from './workspaces';
