using DiffusionFunctions.ModelGeneration.Layers;
using DiffusionFunctions.ModelGeneration.Onnx;
using DiffusionFunctions.ModelGeneration.Weights;

namespace DiffusionFunctions.ModelGeneration.Architectures;

/// <summary>
/// CLIP text encoder (transformers <c>CLIPTextModel</c>): token + position embeddings, pre-LN transformer layers with
/// causal self-attention, final LayerNorm. Outputs <c>last_hidden_state</c> and <c>pooler_output</c> (the state at the
/// highest token id, i.e. the end-of-text token), as Optimum's export names them.
/// </summary>
internal static class ClipTextEncoderGraph
{
    private const string Prefix = "text_model";

    public static void Build(OnnxGraphBuilder g, ClipTextEncoderConfig config)
    {
        var idsType = config.InputIdsInt64 ? OnnxElementType.Int64 : OnnxElementType.Int32;
        var ids = g.Input("input_ids", idsType, "batch_size", "sequence_length");
        var ids64 = config.InputIdsInt64 ? ids : g.Op("Cast", [ids], OnnxAttribute.Int("to", OnnxElementType.Int64));

        // 1. Embeddings: token rows gathered by id, plus the first sequence_length position rows.
        var tokenTable = g.Parameter($"{Prefix}.embeddings.token_embedding.weight", [config.VocabSize, config.Hidden], WeightInit.Embedding);
        var positionTable = g.Parameter($"{Prefix}.embeddings.position_embedding.weight", [config.MaxPositions, config.Hidden], new WeightInit(0f, 0.1f));
        var sequenceLength = g.Op("Unsqueeze", [g.Op("Gather", [g.Op("Shape", [ids64]), g.ConstInt64([1])], OnnxAttribute.Int("axis", 0)), g.Ints(0)]);
        var positions = g.Op("Slice", [positionTable, g.Ints(0), sequenceLength, g.Ints(0)]);
        var hidden = g.Op("Add", [g.Op("Gather", [tokenTable, ids64], OnnxAttribute.Int("axis", 0)), positions]);

        // 2. Causal mask: 0 on and below the diagonal, a large negative number above, cut to [sequence, sequence].
        var mask = new float[config.MaxPositions * config.MaxPositions];
        for (var row = 0; row < config.MaxPositions; row++)
        {
            for (var column = row + 1; column < config.MaxPositions; column++)
            {
                mask[(row * config.MaxPositions) + column] = -10000f;
            }
        }

        var maskTable = g.ConstFloat(mask, config.MaxPositions, config.MaxPositions);
        var maskEnds = g.Op("Concat", [sequenceLength, sequenceLength], OnnxAttribute.Int("axis", 0));
        var causalMask = g.Op("Slice", [maskTable, g.Ints(0, 0), maskEnds, g.Ints(0, 1)]);

        // 3. Transformer layers (hidden_states.0 is the embeddings, hidden_states.{i+1} layer i's output).
        var layerOutputs = new List<string> { hidden };
        for (var layer = 0; layer < config.Layers; layer++)
        {
            var name = $"{Prefix}.encoder.layers.{layer}";
            var normed = NeuralLayers.LayerNorm(g, hidden, $"{name}.layer_norm1", config.Hidden, config.LayerNormEpsilon);
            var attended = AttentionLayer.MultiHead(
                g, AttentionNames.Clip($"{name}.self_attn"), normed, normed, config.Hidden, config.Hidden, config.Hidden, config.Heads, projectionBias: true, causalMask);
            hidden = NeuralLayers.Add(g, hidden, attended);

            normed = NeuralLayers.LayerNorm(g, hidden, $"{name}.layer_norm2", config.Hidden, config.LayerNormEpsilon);
            var expanded = NeuralLayers.Linear(g, normed, $"{name}.mlp.fc1", config.Hidden, config.Intermediate);
            var activated = config.Activation == TextActivation.QuickGelu ? NeuralLayers.QuickGelu(g, expanded) : NeuralLayers.Gelu(g, expanded);
            hidden = NeuralLayers.Add(g, hidden, NeuralLayers.Linear(g, activated, $"{name}.mlp.fc2", config.Intermediate, config.Hidden));
            layerOutputs.Add(hidden);
        }

        var last = NeuralLayers.LayerNorm(g, hidden, $"{Prefix}.final_layer_norm", config.Hidden, config.LayerNormEpsilon);

        // 4. Pooled output: the state at argmax(input_ids) per row (the end-of-text token has the highest id).
        var idsAsFloat = g.Op("Cast", [ids64], OnnxAttribute.Int("to", OnnxElementType.Float));
        var eosIndex = g.Op("ArgMax", [idsAsFloat], OnnxAttribute.Int("axis", -1), OnnxAttribute.Int("keepdims", 0));
        var pooled = g.Op("GatherND", [last, g.Op("Unsqueeze", [eosIndex, g.Ints(1)])], OnnxAttribute.Int("batch_dims", 1));

        // 5. Outputs in Optimum's order: CLIPTextModelWithProjection (text_embeds, last_hidden_state) or CLIPTextModel
        //    (last_hidden_state, pooler_output), then hidden_states.N when exported with output_hidden_states (SDXL).
        if (config.ProjectionDim is { } projection)
        {
            var textEmbeds = NeuralLayers.Linear(g, pooled, "text_projection", config.Hidden, projection, bias: false);
            g.Output(textEmbeds, "text_embeds", g.FloatType, "batch_size", projection);
            g.Output(last, "last_hidden_state", g.FloatType, "batch_size", "sequence_length", config.Hidden);
        }
        else
        {
            g.Output(last, "last_hidden_state", g.FloatType, "batch_size", "sequence_length", config.Hidden);
            g.Output(pooled, "pooler_output", g.FloatType, "batch_size", config.Hidden);
        }

        if (config.OutputHiddenStates)
        {
            // transformers puts the final LayerNorm's output only in last_hidden_state; hidden_states[-1] is the raw last layer.
            for (var i = 0; i < layerOutputs.Count; i++)
            {
                g.Output(layerOutputs[i], $"hidden_states.{i}", g.FloatType, "batch_size", "sequence_length", config.Hidden);
            }
        }
    }
}
