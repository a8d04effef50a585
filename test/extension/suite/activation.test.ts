import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Command, ContextKey } from '../../../src/extension/commandIds';
import { EXTENSION_ID, extensionRoot, strata } from './helpers';

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    viewsWelcome: { view: string; contents: string; when: string }[];
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, unknown> };
  };
}

function manifest(): Manifest {
  return JSON.parse(readFileSync(join(extensionRoot(), 'package.json'), 'utf8')) as Manifest;
}

describe('activation and manifest', () => {
  it('activates in the workspace with migrations, in under 50 ms, in a real extension host', async () => {
    const api = await strata();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)!.isActive, true);
    assert.equal(typeof vscode.env.appHost, 'string');
    assert.ok(api.activationMs < 50, `activate() took ${api.activationMs} ms`);
    console.log(`      activate() took ${api.activationMs.toFixed(1)} ms in ${vscode.env.appHost} (VS Code ${vscode.version})`);
  });

  it('registers every command of the Command table, and package.json contributes exactly those', async () => {
    await strata();
    const ids = Object.values(Command).sort();
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(ids.filter((id) => !registered.has(id)), [], 'registered');
    const contributed = manifest().contributes.commands;
    assert.deepEqual(contributed.map((c) => c.command).sort(), ids);
    assert.deepEqual(contributed.filter((c) => c.category !== 'Strata').map((c) => c.command), [], 'category');
  });

  it('menus and welcome views refer to existing commands, views and context keys', () => {
    const { contributes } = manifest();
    const known = new Set<string>(Object.values(Command));
    const viewIds = Object.values(contributes.views).flat().map((view) => view.id);
    for (const [menu, entries] of Object.entries(contributes.menus)) {
      for (const entry of entries) {
        assert.ok(known.has(entry.command), `${menu}: ${entry.command}`);
        for (const view of entry.when?.match(/view == ([\w.]+)/g) ?? []) assert.ok(viewIds.includes(view.replace('view == ', '')), view);
      }
    }
    for (const welcome of contributes.viewsWelcome) {
      assert.ok(viewIds.includes(welcome.view), welcome.view);
      for (const link of welcome.contents.match(/command:[\w.]+/g) ?? []) {
        const id = link.slice('command:'.length);
        if (id.startsWith('strata.')) assert.ok(known.has(id), link);
      }
      for (const key of welcome.when.match(/strata\.\w+/g) ?? []) assert.ok((Object.values(ContextKey) as string[]).includes(key), key);
    }
  });

  it('documents every setting in the README', () => {
    const readme = readFileSync(join(extensionRoot(), 'README.md'), 'utf8');
    for (const setting of Object.keys(manifest().contributes.configuration.properties)) assert.ok(readme.includes(`\`${setting}\``), setting);
  });

  it('documents every command in the README', () => {
    const readme = readFileSync(join(extensionRoot(), 'README.md'), 'utf8');
    for (const command of manifest().contributes.commands) assert.ok(readme.includes(`Strata: ${command.title}`), command.command);
  });
});
