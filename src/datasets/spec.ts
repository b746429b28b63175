/**
 * What each dataset's cache holds: file names, sizes, sha256 (from shared/reference/dataset-checksums.md)
 * and the header a file of that kind starts with. Nothing here touches the disk.
 */

export type DatasetName = "mnist" | "fashion_mnist" | "cifar10";

/** Which part of a dataset a file holds. */
export type FileRole = "trainImages" | "trainLabels" | "testImages" | "testLabels" | "trainBatch" | "testBatch";

export interface FileSpec {
  /** Name in the cache folder, exactly as the checksum list names it. */
  name: string;
  role: FileRole;
  size: number;
  sha256: string;
  /** idx files: magic number and dimensions; CIFAR batches: fixed records of 1 label + 3072 bytes. */
  format: { kind: "idx"; magic: number; dims: number[] } | { kind: "cifarBatch"; records: number };
}

export interface DatasetSpec {
  name: DatasetName;
  /** Human title for progress and messages. */
  title: string;
  files: FileSpec[];
  /** Shape of one image as Keras returns it. */
  imageShape: number[];
  trainCount: number;
  testCount: number;
  classNames?: readonly string[];
}

const IDX_IMAGES = 0x00000803;
const IDX_LABELS = 0x00000801;
export const CIFAR_RECORD_BYTES = 1 + 32 * 32 * 3;
const CIFAR_BATCH_RECORDS = 10000;

function idxFiles(shas: Record<string, string>): FileSpec[] {
  return [
    {
      name: "train-images-idx3-ubyte",
      role: "trainImages",
      size: 16 + 60000 * 784,
      sha256: shas["train-images-idx3-ubyte"],
      format: { kind: "idx", magic: IDX_IMAGES, dims: [60000, 28, 28] },
    },
    {
      name: "train-labels-idx1-ubyte",
      role: "trainLabels",
      size: 8 + 60000,
      sha256: shas["train-labels-idx1-ubyte"],
      format: { kind: "idx", magic: IDX_LABELS, dims: [60000] },
    },
    {
      name: "t10k-images-idx3-ubyte",
      role: "testImages",
      size: 16 + 10000 * 784,
      sha256: shas["t10k-images-idx3-ubyte"],
      format: { kind: "idx", magic: IDX_IMAGES, dims: [10000, 28, 28] },
    },
    {
      name: "t10k-labels-idx1-ubyte",
      role: "testLabels",
      size: 8 + 10000,
      sha256: shas["t10k-labels-idx1-ubyte"],
      format: { kind: "idx", magic: IDX_LABELS, dims: [10000] },
    },
  ];
}

function cifarBatch(name: string, role: FileRole, sha256: string): FileSpec {
  const format = { kind: "cifarBatch" as const, records: CIFAR_BATCH_RECORDS };
  return { name, role, size: CIFAR_BATCH_RECORDS * CIFAR_RECORD_BYTES, sha256, format };
}

export const FASHION_MNIST_CLASS_NAMES = Object.freeze([
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
] as const);

export const CIFAR10_CLASS_NAMES = Object.freeze([
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
] as const);

export const SPECS: Record<DatasetName, DatasetSpec> = {
  mnist: {
    name: "mnist",
    title: "MNIST",
    imageShape: [28, 28],
    trainCount: 60000,
    testCount: 10000,
    files: idxFiles({
      "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
      "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
      "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
      "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    }),
  },
  fashion_mnist: {
    name: "fashion_mnist",
    title: "Fashion-MNIST",
    imageShape: [28, 28],
    trainCount: 60000,
    testCount: 10000,
    classNames: FASHION_MNIST_CLASS_NAMES,
    files: idxFiles({
      "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
      "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
      "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
      "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    }),
  },
  cifar10: {
    name: "cifar10",
    title: "CIFAR-10",
    imageShape: [32, 32, 3],
    trainCount: 50000,
    testCount: 10000,
    classNames: CIFAR10_CLASS_NAMES,
    files: [
      cifarBatch("data_batch_1.bin", "trainBatch", "cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5"),
      cifarBatch("data_batch_2.bin", "trainBatch", "a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed"),
      cifarBatch("data_batch_3.bin", "trainBatch", "bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67"),
      cifarBatch("data_batch_4.bin", "trainBatch", "014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48"),
      cifarBatch("data_batch_5.bin", "trainBatch", "755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add"),
      cifarBatch("test_batch.bin", "testBatch", "8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b"),
    ],
  },
};

/** Accepts Keras' names and the camelCase ones. */
export function datasetSpec(name: string): DatasetSpec {
  const key = name === "fashionMnist" || name === "fashion-mnist" ? "fashion_mnist" : name;
  const spec = (SPECS as Record<string, DatasetSpec | undefined>)[key];
  if (!spec) throw new Error(`Unknown dataset "${name}"; expected one of: ${Object.keys(SPECS).join(", ")}`);
  return spec;
}
