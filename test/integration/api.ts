import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BwdcScheduleApi } from '../../src/extension';

/** The extension's exported API (activating it if needed): tests answer its questions through it. */
export async function api(): Promise<BwdcScheduleApi> {
  const extension = vscode.extensions.getExtension<BwdcScheduleApi>('bwdc-schedule.bwdc-schedule');
  assert.ok(extension);
  return extension.isActive ? extension.exports : extension.activate();
}
