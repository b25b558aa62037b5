// Starts `hailuo lsp` for .shot scripts and prompt files; all the work happens in the server.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function documentSelector(promptExtensions) {
  const selector = [
    { scheme: "file", language: "shot" },
    { scheme: "untitled", language: "shot" },
    { scheme: "file", language: "hailuo-prompt" },
    { scheme: "untitled", language: "hailuo-prompt" },
  ];
  for (const ext of promptExtensions) {
    const suffix = ext.startsWith(".") ? ext : `.${ext}`;
    if (suffix !== ".prompt") {
      selector.push({ scheme: "file", pattern: `**/*${suffix}` });
    }
  }
  return selector;
}

async function start() {
  const config = vscode.workspace.getConfiguration("hailuo");
  const [command, ...args] = config.get("server.command", ["hailuo", "lsp"]);
  const promptExtensions = config.get("promptExtensions", [".prompt"]);
  // TransportKind.stdio appends `--stdio`, which `hailuo lsp` accepts.
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const initializationOptions = { promptExtensions };
  const debounce = config.get("debounce");
  if (typeof debounce === "number") {
    initializationOptions.debounce = debounce; // unset: the server chooses from the cost of a lint
  }
  // The server asks VS Code to watch **/*.toml itself (pyproject.toml and shot-specs), so saved
  // changes re-lint the files that read them at once.
  const clientOptions = { documentSelector: documentSelector(promptExtensions), initializationOptions };
  client = new LanguageClient("hailuo", "Hailuo", serverOptions, clientOptions);
  await client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("hailuo")) {
        await deactivate();
        await start();
      }
    }),
  );
  await start();
}

async function deactivate() {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop();
  }
}

module.exports = { activate, deactivate };
