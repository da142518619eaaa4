import { z } from "zod";
import { File, createFileSchema, imageMeta } from "@inferencesh/app";
import puppeteer from "puppeteer-core";

import { DEFAULT_SIZE, PAGE_SIZES, viewport } from "./layout.js";

const fileSchema = createFileSchema(z);

export const AppSetup = z.object({
  chromium: z.string().default("/usr/bin/chromium").describe("Path of the Chromium binary"),
});

const Margin = z.object({
  top: z.number().int().min(0).default(0),
  left: z.number().int().min(0).default(0),
});

export const RunInput = z.object({
  html: z.string().min(1).describe("HTML document to render"),
  size: z.enum(PAGE_SIZES).default(DEFAULT_SIZE).describe("Page size"),
  scale: z.number().min(1).max(3).default(1).describe("Device scale factor"),
  background: fileSchema.optional().describe("Image drawn behind the page"),
  margin: Margin.default({}).describe("Space around the page, in pixels"),
  format: z.enum(["png", "jpeg"]).default("png"),
});

export const RunOutput = z.object({
  image: fileSchema.describe("The rendered page"),
  width: z.number().describe("Width in pixels"),
  height: z.number().describe("Height in pixels"),
  output_meta: z.any().optional(),
});

export const FramesInput = z.object({
  html: z.string().describe("HTML document with CSS animations"),
  count: z.number().int().min(1).max(60).default(10).describe("How many frames"),
});

export const FramesOutput = z.object({
  index: z.number().describe("Frame number, from 0"),
  frame: fileSchema.describe("One frame as PNG"),
});

export class App {
  async setup(config) {
    this.browser = await puppeteer.launch({ executablePath: config.chromium, headless: true });
  }

  /** Render an HTML document to one image. */
  async run(inputData) {
    const [width, height] = viewport(inputData.size);
    const page = await this.browser.newPage();
    await page.setViewport({ width, height, deviceScaleFactor: inputData.scale });
    await page.setContent(inputData.html);
    const path = `/tmp/render.${inputData.format}`;
    await page.screenshot({ path, type: inputData.format });
    return {
      image: File.fromPath(path),
      width,
      height,
      output_meta: { outputs: [imageMeta({ width, height })] },
    };
  }

  /**
   * Render an animated page frame by frame.
   *
   * Frames are sent as they are taken.
   */
  async *frames(inputData) {
    const page = await this.browser.newPage();
    await page.setContent(inputData.html);
    for (let index = 0; index < inputData.count; index++) {
      const path = `/tmp/frame-${index}.png`;
      await page.screenshot({ path });
      yield { index, frame: File.fromPath(path) };
    }
  }

  async unload() {
    await this.browser?.close();
  }
}
