// Typed ABIs of every Gavel contract, generated from the forge artifacts by @wagmi/cli
// (`npm run build` writes generated.ts; never edited by hand). They ship inside the SDK.
export * from './generated.ts';
