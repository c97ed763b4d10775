/**
 * Builds the decoders' training set (docs/decoders.md, "The training set"): photographs from a few
 * Debian packages and the repository's bundled photos, each checked to be a photo (not text, a chart,
 * a board or a drawing), near-duplicates dropped, shrunk to `maxSide` on the longest side, written as
 * PNG into `train/` or `heldout/` (split by name, manifest.ts) with `training-set.json` listing every
 * photo's source and licence (read from its package's copyright file).
 * Augmentation is not baked in: the trainer applies the paper's rotations, scales and mirror to every
 * photo (MganDataset, src/method/image/augment.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { resizeLongestSide } from '../../method/image/augment';
import { rgbPixelsOf } from '../../method/image/layout-correlation';
import {
  HELD_OUT_FOLDER,
  TRAINING_SET_FORMAT,
  TRAINING_SET_MANIFEST,
  TRAIN_FOLDER,
  type TrainingSetManifest,
  type TrainingSetPhoto,
  parseTrainingSetManifest,
  splitOf,
} from '../../method/training-set/manifest';
import { NEAR_DUPLICATE_BITS, type RgbPixels, differenceHash, hashDistance, notPhotoReason } from '../../method/training-set/photo-checks';
import { copyrightOf, parseDebianCopyright } from './debian-copyright';
import { decodeImageBytes, encodeRgbaPng } from './image-io';

/** The packages the training set is made from (others are kept apart, to test decoders on unseen photos). */
export const TRAINING_SET_PACKAGES = ['opencv-doc', 'gnome-backgrounds', 'mate-backgrounds', 'lomiri-wallpapers', 'ukui-wallpapers'];
export const TRAINING_SET_MAX_SIDE = 384;
/** Photos whose longest side is below this are left out; smaller than `maxSide` they are kept at their size, never enlarged (blurred). */
export const TRAINING_SET_MIN_LONGEST_SIDE = 160;
/** A 128 px training crop must fit (the trainer skips augmented variants too small for a crop). */
const MIN_SHORT_SIDE = 128;
/**
 * Wider than MAX_ASPECT:1 is mostly two pictures side by side (a photo and what a method made of it):
 * its left half is the candidate (it then passes every check on its own). Wider than WIDEST:1 is a
 * strip or a banner.
 */
const MAX_ASPECT = 2;
const WIDEST = 4;

/**
 * File names that say a picture is not a photo of a scene, whatever its pixels look like: calibration
 * boards and their stereo pairs (photos of a chessboard), markers, text and OCR samples, charts and
 * histograms, masks, ground truths and disparity maps, logos, screenshots; and the OpenCV tutorials'
 * window captures (`*_Tutorial_*`, `*_Original_Image`, `*_Result*`: a photo inside a window frame,
 * mostly processed: blurred, thresholded, drawn over).
 */
const NOT_A_SCENE =
  /((^|[/_-])(left|right)\d+|chess|board|calib|aruco|charuco|pattern|sudoku|text|digit|letter|alphabet|licen[cs]e|logo|ocr|chart|graph|plot|hist|diagram|formula|equation|screenshot|gui|window|button|icon|qr|barcode|marker|mask|trimap|matte|disparity|depth|gt\.|_gt|gradient|kernel|matrix|pixel|grid|code|screen|view|window|faces?_?grid|tutorial|original_image|source_image|template_matching|theory)/i;

/**
 * Files looked at one by one (upstream paths) and left out although their pixels pass the checks:
 * screenshots, several pictures in one figure, boards and markers, face grids, feature maps,
 * renders and abstract wallpapers, paintings (a painting is a style, not a scene; starry_night is
 * the bundled style itself).
 */
const REVIEWED_OUT = new Set([
  'abstract/Elephants_5640x3172.jpg', 'abstract/Elephants_3840x2160.jpg', 'abstract/Elephants.jpg', 'desktop/Float-into-MATE.png', 'desktop/Stripes.png',
  'focal-ubuntukylin.png', 'rhythm.jpg', 'string.jpg', 'fluent-color.png', 'calla.png',
  'samples/data/starry_night.jpg', 'samples/data/pic2.png', 'samples/fuzzy/input.png',
  // a rendered scene; the second of a stereo pair or of two views (the first is kept); a figure of a method's output
  'samples/data/blox.jpg', 'samples/data/aloeR.jpg', 'samples/data/right.jpg', 'samples/data/leuvenB.jpg', 'samples/data/graf3.png', 'samples/data/pca_test1.jpg',
  ...[
    '02_single_image_view', '04_default_filter_view', '10_line_match_view', '11_demo', '12_translation_match_view_portion_selector',
    'Adding_Trackbars_Tutorial_Result_1', 'Basic_Linear_Transform_Tutorial_Result_big', 'Threshold_inRange_Tutorial_Result_input', 'ab-1', 'ab',
    'ada_threshold', 'checkershadow_parvo', 'chocclusion', 'clahe_2', 'dualCircles', 'epiresult', 'fft5', 'fileListImage', 'fileListImageUnDist',
    'fisherface_reconstruction_opencv', 'fisherfaces_opencv', 'eigenface_reconstruction_opencv', 'detect_test2', 'gbaxis', 'gbocclusion',
    'gst_coherency', 'gst_orientation', 'gst_result', 'gst_input', 'houghlines3', 'houghlines5', 'inpaint_result', 'lbp_yale', 'matcher_result1',
    'matching2', 'median', 'messipyr', 'opticalflow_lk', 'orapple', 'original', 'period_input', 'plane_viz', 'plant', 'pose_1', 'pose_2', 'result',
    'retinaOutput_default', 'sample', 'viewer', 'visualisation_single_stage', 'visualstudiocommandprompt', 'newspaper', 'deskew',
    'julia_facedetect_sample', 'detecteddiamonds', 'gdal_flood-zone', 'matting_results', 'pca_output', 'screen_finish', 'stereo_undistort',
    '01', '02', '03', '04', '06', '07', '09', '11', '12', '2', '3', 'a15', 'bilateral', 'black_car', 'faceres', 'fft1', 'fft2', 'diamondsaxis',
    'imgs', 'gdal_output', 'fuzzy_filt_output', 'matcher_flann', 'oc_color_quantization', 'period_output', 'perspective', 'recovered',
    'registration', 'resimg', 'shitomasi_block1', 'template_ccoeffn_2', 'template_ccorr_3', 'template_ccorrn_4', 'template_sqdiff_5',
    'template_sqdiffn_6', 'visualisation_video', 'white_car', 'VideoDemo_thermal_park', 'bicubic_comic', 'eigenfaces_opencv', 'frame',
    'orb_kp', 'output', 'pca_test1', 'clahe_1', 'budapest', 'affinepano', 'Bounding_Rects_Circles_Result', 'Bounding_Rotated_Ellipses_Result',
    'Corner_Subpixels_Result', 'Feature_Description_BruteForce_Result', 'Feature_FlannMatcher_Result_ratio_test', 'Find_Contours_Result', 'Hull_Result',
    'Moments_Result1', 'Moments_Result2', 'Point_Polygon_Test_Result', 'plant_result', 'matcher_result2', 'resultMatMaskFilter2D',
    'resultOutputWideoWrite', 'svm_intro_result', 'svm_non_linear_result', 'drawing_result', 'superpixels_demo',
    // drawn over (boxes, keypoints, lines, labels), or several small pictures in one window
    'Feature_Detection_Result_a', 'Feature_Detection_Result_b', 'aero_det', 'aero_thresh_det', 'corridor_fld', 'facereg', 'fast_kp',
    'My_Harris_corner_detector_Result', 'My_Shi_Tomasi_corner_detector_Result', 'person_multi_det', 'bus_det', 'cat_det', 'yolo', 'demo',
    'example', 'nlm_patch', 'template_ccoeff_1', 'motion_original', 'water_result', 'canny1', 'sagrada_familia_input',
    'Morphology_1_Result', 'realsense',
    // drawn, not photographed (a comic, an anime still, a printed pattern)
    'edsr_comic', 'espcn_comic', 'fsrcnn_comic', 'lapsrn_comic', 'lanczos_comic', 'nearest_comic', 'orig_comic', 'choriginal', 'fuzzy_inp_input', 'gboriginal', 'chaxis', 'chcorners',
    // the same scene as another photo kept (a stereo twin, the same hand, the same cameraman, the same church)
    'ambush_5_right', 'handDst', 'lines_cameraman_edl', 'cameraman_lines2', 'fft4', 'HDRtoneMapping_memorialSample',
  ].flatMap((n) => [`doc/${n}.png`, `doc/${n}.jpg`]),
]);

/** A rectangle of a file, in its own pixels. */
interface CropBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Files looked at one by one and taken although their names say otherwise (the OpenCV tutorials'
 * window captures of a photo) or their whole picture is not one photo: `whole` reads the file as it
 * is, a box keeps only the photo inside it (the window's title bar and border, a drawn overlay, the
 * other panels of a figure cut away).
 */
const REVIEWED_IN = new Map<string, CropBox | 'whole'>([
  ['doc/Histogram_Calculation_Original_Image.jpg', 'whole'],
  ['doc/Hough_Lines_Tutorial_Original_Image.jpg', 'whole'],
  ['doc/Morphology_1_Tutorial_Original_Image.jpg', 'whole'],
  ['doc/Template_Matching_Original_Image.jpg', 'whole'],
  ['doc/Background_Subtraction_Tutorial_frame.jpg', 'whole'],
  ['doc/Bounding_Rects_Circles_Source_Image.jpg', { x: 4, y: 30, width: 292, height: 235 }],
  ['doc/Warp_Affine_Tutorial_Original_Image.jpg', { x: 4, y: 30, width: 292, height: 206 }],
  ['doc/Canny_Detector_Tutorial_Original_Image.jpg', { x: 4, y: 4, width: 280, height: 174 }],
  ['doc/Laplace_Operator_Tutorial_Original_Image.jpg', { x: 4, y: 40, width: 290, height: 188 }],
  ['doc/Remap_Tutorial_Original_Image.jpg', { x: 4, y: 4, width: 290, height: 178 }],
  ['doc/histogram_sample.jpg', { x: 0, y: 0, width: 314, height: 200 }],
  ['doc/05.jpg', { x: 0, y: 0, width: 500, height: 455 }],
  ['doc/VideoDemo_RGB_PETS2006.jpg', { x: 0, y: 40, width: 340, height: 226 }],
  ['doc/feature_building.jpg', { x: 0, y: 145, width: 450, height: 255 }],
]);

export interface PhotoFile {
  /** Where to read it. */
  path: string;
  /** Its path in the package's upstream source tree, which the copyright file's globs name. */
  upstream: string;
}

export interface PhotoSource {
  /** The Debian package, or `samples`. */
  package: string;
  files: PhotoFile[];
  /** The licence of a file, read from the source's copyright statement. */
  licenceOf(file: PhotoFile): { licence: string; copyright: string };
}

export interface SkippedPhoto {
  source: string;
  reason: string;
}

const IMAGE = /\.(png|jpe?g)$/i;

/** Files' installed locations -> their upstream paths, for the packages' layouts. */
const UPSTREAM_PREFIXES: Array<[string, string]> = [
  ['/usr/share/doc/opencv-doc/examples/', 'samples/'],
  ['/usr/share/doc/opencv-doc/opencv4/html/', 'doc/'],
  ['/usr/share/backgrounds/mate/', ''],
  ['/usr/share/backgrounds/', ''],
];

function upstreamPath(installed: string): string {
  for (const [prefix, upstream] of UPSTREAM_PREFIXES) if (installed.startsWith(prefix)) return upstream + installed.slice(prefix.length);
  return basename(installed);
}

/** A copyright statement as a licence lookup: DEP-5 per file, else the whole file named. */
function copyrightLookup(text: string, where: string): PhotoSource['licenceOf'] {
  const paragraphs = parseDebianCopyright(text);
  return (file) => {
    const p = copyrightOf(paragraphs, file.upstream);
    return p ? { licence: p.licence, copyright: p.copyright } : { licence: `see ${where}`, copyright: `see ${where}` };
  };
}

/** Every file of an installed Debian package (dpkg's list), with its copyright file. */
export async function debianPackageSource(pkg: string): Promise<PhotoSource> {
  let listed: string;
  try {
    listed = execFileSync('dpkg-query', ['-L', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    throw new Error(`Debian package '${pkg}' is not installed: apt-get install ${TRAINING_SET_PACKAGES.join(' ')}`);
  }
  const copyrightFile = `/usr/share/doc/${pkg}/copyright`;
  const text = await readFile(copyrightFile, 'utf8').catch(() => {
    throw new Error(`${copyrightFile} is missing: reinstall ${pkg}`);
  });
  const files = listed
    .split('\n')
    .filter((p) => p.startsWith('/') && /\.(png|jpe?g|webp|svg)$/i.test(p))
    .sort()
    .map((path) => ({ path, upstream: upstreamPath(path) }));
  return { package: pkg, files, licenceOf: copyrightLookup(text, copyrightFile) };
}

/** Every image under `dir` (recursively), its licence from `dir/copyright` (DEP-5): for tests and local photo folders. */
export async function folderSource(pkg: string, dir: string): Promise<PhotoSource> {
  const copyrightFile = join(dir, 'copyright');
  const text = await readFile(copyrightFile, 'utf8').catch(() => {
    throw new Error(`photo folder '${dir}' has no copyright file: add ${copyrightFile} (Debian's machine-readable format)`);
  });
  const files: PhotoFile[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const name of (await readdir(d)).sort()) {
      const path = join(d, name);
      if ((await stat(path)).isDirectory()) await walk(path);
      else if (name !== 'copyright') files.push({ path, upstream: relative(dir, path).split(sep).join('/') });
    }
  };
  await walk(dir);
  return { package: pkg, files, licenceOf: copyrightLookup(text, copyrightFile) };
}

/**
 * The repository's bundled photos (public/samples/photos), their licences from the samples' LICENSES.md
 * table (`| photos/NAME | what | source | licence |`).
 */
export async function bundledPhotoSource(samplesDir: string): Promise<PhotoSource> {
  const licences = new Map<string, { licence: string; copyright: string }>();
  for (const line of (await readFile(join(samplesDir, 'LICENSES.md'), 'utf8')).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length >= 6 && cells[1].startsWith('photos/')) licences.set(cells[1], { licence: cells[4], copyright: cells[3] });
  }
  const files = (await readdir(join(samplesDir, 'photos')))
    .filter((f) => IMAGE.test(f))
    .sort()
    .map((f) => ({ path: join(samplesDir, 'photos', f), upstream: `photos/${f}` }));
  return {
    package: 'samples',
    files,
    licenceOf: (f) => licences.get(f.upstream) ?? { licence: `see ${join(samplesDir, 'LICENSES.md')}`, copyright: '' },
  };
}

/** The file name a photo gets: package and upstream path, flattened, as PNG. */
export function photoFileName(pkg: string, upstream: string): string {
  return `${pkg}--${upstream.replace(/\.[^./]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '_')}.png`;
}

interface Candidate {
  photo: TrainingSetPhoto;
  pixels: RgbPixels;
  /** Pixels of the original: among near-duplicates the largest original is kept. */
  originalPixels: number;
}

/** One source file as a candidate photo, or why it is not one. */
async function candidateOf(source: PhotoSource, file: PhotoFile, maxSide: number, minLongest: number): Promise<Candidate | string> {
  if (!IMAGE.test(file.path)) return 'not a PNG or JPEG (a drawing format, or no decoder here)';
  const reviewed = source.package === 'samples' ? undefined : REVIEWED_IN.get(file.upstream);
  if (!reviewed && NOT_A_SCENE.test(file.upstream)) return 'its name says text, a chart, a board, a mask or a logo';
  if (source.package !== 'samples' && REVIEWED_OUT.has(file.upstream)) return 'looked at and left out: not a photo of one scene';
  let image: tf.Tensor3D;
  try {
    image = decodeImageBytes(await readFile(file.path), file.path);
  } catch (e) {
    return `unreadable: ${(e as Error).message}`;
  }
  try {
    let [h, w] = image.shape;
    if (reviewed && reviewed !== 'whole') {
      const { x, y, width, height } = reviewed;
      if (x + width > w || y + height > h) return `its reviewed crop ${width}x${height}+${x}+${y} is outside the picture (${w}x${h}): the package changed, look at it again`;
      const box = tf.slice(image, [y, x, 0], [height, width, 3]);
      image.dispose();
      image = box;
      [h, w] = image.shape;
    }
    if (w > MAX_ASPECT * h && w <= WIDEST * h) {
      const left = tf.slice(image, [0, 0, 0], [h, Math.floor(w / 2), 3]);
      image.dispose();
      image = left;
      [h, w] = image.shape;
    }
    if (Math.max(h, w) < minLongest) return `too small (${w}x${h}; the longest side must be at least ${minLongest})`;
    if (Math.min(h, w) < MIN_SHORT_SIDE) return `too small (${w}x${h}; the shorter side must be at least ${MIN_SHORT_SIDE})`;
    if (Math.max(h, w) > MAX_ASPECT * Math.min(h, w)) return `too narrow (${w}x${h}): a strip or a banner`;
    const small = resizeLongestSide(image, Math.min(maxSide, Math.max(h, w)));
    const pixels = await rgbPixelsOf(small);
    small.dispose();
    const notPhoto = notPhotoReason(pixels);
    if (notPhoto) return notPhoto;
    const { licence, copyright } = source.licenceOf(file);
    const name = photoFileName(source.package, file.upstream);
    return {
      photo: { file: name, split: splitOf(name), package: source.package, source: file.path, licence, copyright, width: pixels.width, height: pixels.height, dhash: differenceHash(pixels) },
      pixels,
      originalPixels: w * h,
    };
  } finally {
    image.dispose();
  }
}

export interface BuildTrainingSetOptions {
  out: string;
  sources: PhotoSource[];
  maxSide?: number;
  minLongestSide?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Writes the training set into `out` (train/, heldout/, training-set.json; PNGs of an earlier build
 * that are no longer in the set are removed). Returns the manifest and every skipped file with why.
 */
export async function buildTrainingSet(o: BuildTrainingSetOptions): Promise<{ manifest: TrainingSetManifest; skipped: SkippedPhoto[] }> {
  const maxSide = o.maxSide ?? TRAINING_SET_MAX_SIDE;
  const minLongest = o.minLongestSide ?? TRAINING_SET_MIN_LONGEST_SIDE;
  const skipped: SkippedPhoto[] = [];
  const candidates: Candidate[] = [];
  const total = o.sources.reduce((n, s) => n + s.files.length, 0);
  let done = 0;
  for (const source of o.sources) {
    for (const file of source.files) {
      const c = await candidateOf(source, file, maxSide, minLongest);
      if (typeof c === 'string') skipped.push({ source: file.path, reason: c });
      else candidates.push(c);
      o.onProgress?.(++done, total);
    }
  }
  // Largest original first (ties by name), so of near-duplicates the best copy stays.
  candidates.sort((a, b) => b.originalPixels - a.originalPixels || a.photo.file.localeCompare(b.photo.file));
  const kept: Candidate[] = [];
  for (const c of candidates) {
    const twin = kept.find((k) => hashDistance(k.photo.dhash, c.photo.dhash) <= NEAR_DUPLICATE_BITS);
    if (twin) skipped.push({ source: c.photo.source, reason: `a near-duplicate of ${twin.photo.source}` });
    else kept.push(c);
  }
  kept.sort((a, b) => a.photo.file.localeCompare(b.photo.file));
  for (const folder of [TRAIN_FOLDER, HELD_OUT_FOLDER]) await mkdir(join(o.out, folder), { recursive: true });
  const manifest: TrainingSetManifest = { format: TRAINING_SET_FORMAT, version: 1, maxSide, photos: kept.map((k) => k.photo) };
  for (const { photo, pixels } of kept) {
    const rgba = new Uint8ClampedArray(pixels.width * pixels.height * 4);
    for (let p = 0; p < pixels.width * pixels.height; p++) {
      rgba.set(pixels.data.subarray(3 * p, 3 * p + 3), 4 * p);
      rgba[4 * p + 3] = 255;
    }
    await writeFile(join(o.out, photo.split === 'train' ? TRAIN_FOLDER : HELD_OUT_FOLDER, photo.file), encodeRgbaPng(rgba, pixels.width, pixels.height));
  }
  for (const folder of [TRAIN_FOLDER, HELD_OUT_FOLDER]) {
    const wanted = new Set(manifest.photos.filter((p) => (p.split === 'train' ? TRAIN_FOLDER : HELD_OUT_FOLDER) === folder).map((p) => p.file));
    for (const f of await readdir(join(o.out, folder))) if (f.endsWith('.png') && !wanted.has(f)) await rm(join(o.out, folder, f));
  }
  await writeFile(join(o.out, TRAINING_SET_MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  return { manifest, skipped };
}

/** A built training set's manifest; a one-line error naming the folder when there is none. */
export async function readTrainingSet(dir: string): Promise<TrainingSetManifest> {
  const file = join(dir, TRAINING_SET_MANIFEST);
  const text = await readFile(file, 'utf8').catch(() => {
    throw new Error(`'${dir}' is not a training set (no ${TRAINING_SET_MANIFEST}): build one with npm run dataset -- --out ${dir}`);
  });
  return parseTrainingSetManifest(text, file);
}

/** The photos a decoder may train on: the train split only, as files. Held-out photos are never returned. */
export async function trainingPhotoPaths(dir: string): Promise<string[]> {
  const manifest = await readTrainingSet(dir);
  return manifest.photos.filter((p) => p.split === 'train').map((p) => join(dir, TRAIN_FOLDER, p.file));
}

/** The held-out photos, to measure decoders on (bench decoder-quality --held-out DIR). */
export async function heldOutPhotoPaths(dir: string): Promise<string[]> {
  const manifest = await readTrainingSet(dir);
  return manifest.photos.filter((p) => p.split === 'heldout').map((p) => join(dir, HELD_OUT_FOLDER, p.file));
}

/**
 * Why training must not read `folder`: it is a training set's held-out split, or a training set's root
 * (whose subfolders mix both splits). Undefined for any other folder.
 */
export async function heldOutFolderProblem(folder: string): Promise<string | undefined> {
  const isManifest = async (dir: string) => (await stat(join(dir, TRAINING_SET_MANIFEST)).catch(() => undefined))?.isFile() ?? false;
  if (basename(folder) === HELD_OUT_FOLDER && (await isManifest(join(folder, '..')))) {
    return `'${folder}' holds a training set's held-out photos, which training never reads: use '${join(folder, '..', TRAIN_FOLDER)}'`;
  }
  if (await isManifest(folder)) return `'${folder}' is a training set: train on its '${TRAIN_FOLDER}' folder ('${join(folder, TRAIN_FOLDER)}')`;
  return undefined;
}

/** A Markdown table of the set's licences: per package, then per photo. */
export function licenceTable(manifest: TrainingSetManifest): string {
  const lines = [
    '# Training set: photos and licences',
    '',
    'Generated by `npm run dataset -- --out DIR --licences docs/training-set-licences.md` (do not edit).',
    `${manifest.photos.length} photos, longest side ${manifest.maxSide} px: ${manifest.photos.filter((p) => p.split === 'train').length} to train on, ${manifest.photos.filter((p) => p.split === 'heldout').length} held out.`,
    'Licences as each package states them in `/usr/share/doc/PACKAGE/copyright` (the bundled photos: `public/samples/LICENSES.md`).',
    '',
    '| package | photos | licences |',
    '| --- | --- | --- |',
  ];
  const packages = [...new Set(manifest.photos.map((p) => p.package))].sort();
  for (const pkg of packages) {
    const photos = manifest.photos.filter((p) => p.package === pkg);
    lines.push(`| ${pkg} | ${photos.length} | ${[...new Set(photos.map((p) => p.licence))].sort().join(', ')} |`);
  }
  lines.push('', '| photo | split | package | source | licence | copyright |', '| --- | --- | --- | --- | --- | --- |');
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  for (const p of manifest.photos) {
    lines.push(`| ${p.file} | ${p.split} | ${p.package} | ${cell(p.source)} | ${cell(p.licence)} | ${cell(p.copyright.length > 120 ? `${p.copyright.slice(0, 117)}...` : p.copyright)} |`);
  }
  return `${lines.join('\n')}\n`;
}
