using DiffusionFunctions.ModelGeneration.Trained;
using static TorchSharp.torch;
using L = DiffusionFunctions.Training.Networks.TorchLayers;

namespace DiffusionFunctions.Training.Networks;

/// <summary>The TorchSharp twin of <c>CompactTextEncoderGraph</c>: real CLIP ids → compact rows → causal pre-LN transformer.</summary>
internal sealed class TextEncoderNetwork : IDisposable
{
    private const string Prefix = "text_model";
    private readonly CompactTextEncoderConfig config;
    private readonly Tensor idToRow;
    private readonly Tensor causalMask;

    public TextEncoderNetwork(CompactTextEncoderConfig config)
    {
        this.config = config;
        idToRow = tensor(config.IdToRow.ToArray(), ScalarType.Int64);
        var mask = new float[config.MaxPositions * config.MaxPositions];
        for (var row = 0; row < config.MaxPositions; row++)
        {
            for (var column = row + 1; column < config.MaxPositions; column++)
            {
                mask[(row * config.MaxPositions) + column] = -10000f;
            }
        }

        causalMask = tensor(mask, [config.MaxPositions, config.MaxPositions]);
    }

    /// <summary><c>last_hidden_state</c> for int64 CLIP ids <c>[batch, sequence]</c>.</summary>
    public Tensor Forward(ParameterBag p, Tensor ids)
    {
        var sequence = ids.shape[1];
        var rows = idToRow.index_select(0, ids.reshape(-1)).reshape(ids.shape);
        var tokenTable = p.Get($"{Prefix}.embeddings.token_embedding.weight", [config.Rows, config.Hidden], 0.02f);
        var positionTable = p.Get($"{Prefix}.embeddings.position_embedding.weight", [config.MaxPositions, config.Hidden], 0.01f);
        var hidden = tokenTable.index_select(0, rows.reshape(-1)).reshape(ids.shape[0], sequence, config.Hidden) + positionTable.narrow(0, 0, sequence);
        var mask = causalMask.narrow(0, 0, sequence).narrow(1, 0, sequence);
        for (var layer = 0; layer < config.Layers; layer++)
        {
            var name = $"{Prefix}.encoder.layers.{layer}";
            var normed = L.LayerNorm(p, hidden, $"{name}.layer_norm1", config.Hidden, config.LayerNormEpsilon);
            hidden = hidden + L.Attention(p, L.ClipNames($"{name}.self_attn"), normed, normed, config.Hidden, config.Hidden, config.Hidden, config.Heads, projectionBias: true, mask);
            normed = L.LayerNorm(p, hidden, $"{name}.layer_norm2", config.Hidden, config.LayerNormEpsilon);
            var expanded = L.Linear(p, normed, $"{name}.mlp.fc1", config.Hidden, config.Intermediate);
            hidden = hidden + L.Linear(p, L.QuickGelu(expanded), $"{name}.mlp.fc2", config.Intermediate, config.Hidden);
        }

        return L.LayerNorm(p, hidden, $"{Prefix}.final_layer_norm", config.Hidden, config.LayerNormEpsilon);
    }

    public void Dispose()
    {
        idToRow.Dispose();
        causalMask.Dispose();
    }
}
