/** ONNX protobuf reader: the graph, every initializer and tensor attribute decoded. */
import { readOnnxModel, tensorData } from '../../../src/pipeline/clip/onnx/onnx-reader';
import { smallModel } from '../../pipeline/clip/onnx/small-onnx-model';
import type { FuzzTarget } from '../types';

export const targets: FuzzTarget[] = [
  {
    name: 'onnx',
    hasLocations: true,
    seeds: () => [new Map([['model.onnx', smallModel()]])],
    read: async (files, sourceName) => {
      const model = readOnnxModel(files.get('model.onnx')!, `${sourceName}/model.onnx`);
      const tensors: unknown[] = [];
      for (const ref of model.graph.initializers.values()) tensors.push(tensorData(ref));
      for (const node of model.graph.nodes) {
        for (const attr of node.attributes)
          if (attr.type === 'tensor') tensors.push(tensorData(attr.value));
      }
      return { model, tensors };
    },
  },
];
