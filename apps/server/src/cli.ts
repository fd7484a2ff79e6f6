#!/usr/bin/env node
import 'reflect-metadata'
import { runCli } from './cli/program.js'

// Exiting explicitly ends a `serve` or `sandbox` run whose shutdown left a timer behind.
// stdout is synchronous for files and pipes on Linux, so nothing printed is lost.
process.exit(await runCli(process.argv.slice(2)))
